/**
 * SQL of the PostgreSQL adapter, in one place so that readAll and subscriptions share the exact
 * visibility rule: rows are ordered by (transaction_id, position) and only rows of transactions older
 * than the reader's snapshot xmin are returned. Every transaction below xmin has finished, so no row can
 * ever appear before a position a reader has already passed, even when transactions commit out of order.
 */

/** Advisory lock key taken while creating the schema ("eventstore" as bytes). */
export const SCHEMA_LOCK_KEY = '7310305855643345778';

export const NOTIFY_CHANNEL = 'eventstore_appended';

export const SCHEMA_SQL = `
CREATE SCHEMA IF NOT EXISTS eventstore;

CREATE TABLE IF NOT EXISTS eventstore.streams (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL
);

CREATE TABLE IF NOT EXISTS eventstore.events (
  position bigserial PRIMARY KEY,
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  stream_id text NOT NULL,
  revision bigint NOT NULL,
  event_id uuid NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT events_event_id_unique UNIQUE (event_id),
  CONSTRAINT events_stream_revision_unique UNIQUE (stream_id, revision)
);

CREATE INDEX IF NOT EXISTS events_transaction_position ON eventstore.events (transaction_id, position);

CREATE TABLE IF NOT EXISTS eventstore.snapshots (
  stream_id text PRIMARY KEY,
  revision bigint NOT NULL,
  schema_version int NOT NULL,
  state jsonb NOT NULL,
  taken_at timestamptz NOT NULL DEFAULT now()
);

-- One round trip per append. p_expected: -1 = no_stream, -2 = any, >= 0 = exact last revision.
-- Returns status 0 (appended: revision, commit, position of the last event) or
-- 1 (wrong expected revision: revision = the stream's actual revision, NULL when it has none).
-- The streams row is the per-stream lock: concurrent appenders to one stream queue on it, and an exact
-- or no_stream expectation is re-checked against the committed row, so a loser gets status 1, never a
-- unique violation.
CREATE OR REPLACE FUNCTION eventstore.append_to_stream(p_stream_id text, p_expected bigint, p_events jsonb)
RETURNS TABLE (out_status int, out_revision bigint, out_commit xid8, out_position bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_count bigint := jsonb_array_length(p_events);
  v_revision bigint;
BEGIN
  IF p_expected = -1 THEN
    INSERT INTO eventstore.streams AS s (stream_id, revision) VALUES (p_stream_id, v_count - 1)
      ON CONFLICT (stream_id) DO NOTHING
      RETURNING s.revision INTO v_revision;
  ELSIF p_expected = -2 THEN
    INSERT INTO eventstore.streams AS s (stream_id, revision) VALUES (p_stream_id, v_count - 1)
      ON CONFLICT (stream_id) DO UPDATE SET revision = s.revision + v_count
      RETURNING s.revision INTO v_revision;
  ELSE
    UPDATE eventstore.streams AS s SET revision = s.revision + v_count
      WHERE s.stream_id = p_stream_id AND s.revision = p_expected
      RETURNING s.revision INTO v_revision;
  END IF;

  IF v_revision IS NULL THEN
    SELECT s.revision INTO v_revision FROM eventstore.streams AS s WHERE s.stream_id = p_stream_id;
    RETURN QUERY SELECT 1, v_revision, NULL::xid8, NULL::bigint;
    RETURN;
  END IF;

  RETURN QUERY
  WITH inserted AS (
    INSERT INTO eventstore.events AS ev (stream_id, revision, event_id, type, data, metadata)
    SELECT p_stream_id, v_revision - v_count + e.ord, (e.value->>'id')::uuid, e.value->>'type',
           e.value->'data', e.value->'metadata'
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS e(value, ord)
    RETURNING ev.position
  )
  SELECT 0, v_revision, pg_current_xact_id(), max(inserted.position) FROM inserted;
END
$fn$;
`;

export const APPEND_SQL =
  'SELECT out_status, out_revision, out_commit, out_position FROM eventstore.append_to_stream($1, $2, $3)';

/** Column list every event read uses; `rowToEvent` depends on this order. */
const EVENT_COLUMNS = 'position, transaction_id, stream_id, revision, event_id, type, data, metadata';

/** Events strictly after ($1 commit, $2 prepare), only from transactions every reader agrees have ended. */
export const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM eventstore.events
WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id, position
LIMIT $3`;

/** True when committed events exist that the xmin rule still holds back (an older transaction is open). */
export const HELD_BACK_SQL = `SELECT EXISTS (
  SELECT 1 FROM eventstore.events WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())
)`;

export const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM eventstore.events
WHERE stream_id = $1 AND revision >= $2
ORDER BY revision
LIMIT $3`;

export const HEAD_POSITION_SQL = `SELECT transaction_id, position FROM eventstore.events
WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY transaction_id DESC, position DESC
LIMIT 1`;

export const COUNT_AFTER_SQL = `SELECT count(*)::int FROM (
  SELECT 1 FROM eventstore.events
  WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
    AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
  LIMIT $3
) AS counted`;

export const FIND_EVENT_IDS_SQL = `SELECT event_id, stream_id, revision, transaction_id, position, type
FROM eventstore.events WHERE event_id = ANY($1::uuid[])`;

/** One event of a stream by its id (the events_event_id_unique index): one row whatever the stream's length. */
export const FIND_EVENT_SQL = `SELECT ${EVENT_COLUMNS} FROM eventstore.events
WHERE event_id = $2::uuid AND stream_id = $1`;
