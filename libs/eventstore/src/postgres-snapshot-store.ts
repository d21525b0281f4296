import type { Pool } from 'pg';
import type { EventStore, RecordedEvent } from './event-store.port';

export interface Snapshot<TState = unknown> {
  streamId: string;
  /** Revision of the last event folded into `state`. */
  revision: bigint;
  /** Version of the state's shape; a snapshot of another version is ignored and the stream replayed. */
  schemaVersion: number;
  state: TState;
  takenAt: Date;
}

/**
 * Aggregate snapshots in `eventstore.snapshots` (created by PostgresEventStore.migrate). A snapshot is a
 * cache: dropping it only makes the next load replay more events.
 */
export class PostgresSnapshotStore {
  constructor(private readonly pool: Pool) {}

  async load<TState = unknown>(streamId: string): Promise<Snapshot<TState> | null> {
    const result = await this.pool.query<[string, number, TState, Date]>({
      name: 'eventstore_snapshot_load',
      text: 'SELECT revision, schema_version, state, taken_at FROM eventstore.snapshots WHERE stream_id = $1',
      values: [streamId],
      rowMode: 'array',
    });
    const row = result.rows[0];
    return row
      ? { streamId, revision: BigInt(row[0]), schemaVersion: row[1], state: row[2], takenAt: row[3] }
      : null;
  }

  /** Stores the snapshot unless one at the same or a newer revision exists. Returns whether it was stored. */
  async save(streamId: string, revision: bigint, schemaVersion: number, state: unknown): Promise<boolean> {
    const result = await this.pool.query({
      name: 'eventstore_snapshot_save',
      text: `INSERT INTO eventstore.snapshots AS s (stream_id, revision, schema_version, state, taken_at)
             VALUES ($1, $2, $3, $4, now())
             ON CONFLICT (stream_id) DO UPDATE
               SET revision = excluded.revision, schema_version = excluded.schema_version,
                   state = excluded.state, taken_at = excluded.taken_at
               WHERE s.revision < excluded.revision OR s.schema_version <> excluded.schema_version`,
      values: [streamId, revision.toString(), schemaVersion, JSON.stringify(state)],
    });
    return result.rowCount === 1;
  }
}

export interface LoadAggregateOptions<TState> {
  events: EventStore;
  snapshots: PostgresSnapshotStore;
  streamId: string;
  /** Current shape of the state; snapshots of other versions are ignored. */
  schemaVersion: number;
  initialState: () => TState;
  evolve: (state: TState, event: RecordedEvent) => TState;
}

export interface LoadedAggregate<TState> {
  state: TState;
  /** Pass as expectedRevision when appending the decision's events. */
  revision: bigint | 'no_stream';
  /** Events folded on top of the snapshot (use it to decide when to take a new snapshot). */
  eventsSinceSnapshot: number;
}

/** State = the latest usable snapshot + the stream's events after its revision. */
export async function loadAggregate<TState>(
  options: LoadAggregateOptions<TState>,
): Promise<LoadedAggregate<TState>> {
  const snapshot = await options.snapshots.load<TState>(options.streamId);
  const usable = snapshot && snapshot.schemaVersion === options.schemaVersion ? snapshot : null;
  let state = usable ? usable.state : options.initialState();
  let revision: bigint | 'no_stream' = usable ? usable.revision : 'no_stream';
  const events = await options.events.readStream(options.streamId, {
    fromRevision: usable ? usable.revision + 1n : 0n,
  });
  for (const event of events) {
    state = options.evolve(state, event);
    revision = event.revision;
  }
  return { state, revision, eventsSinceSnapshot: events.length };
}
