import type { Knex } from '@mikro-orm/postgresql';
import { streamCategory } from '@stratus/domain';
import { eventLogItem, eventLogItemTime, type EventLogItem, type EventLogRecord } from './event-log.query';
import { StreamStateFolder, type StateAt } from './stream-state';

const CHUNK = 1000;

export interface StreamAudit {
  streamId: string;
  category: string;
  /** Last revision of the stream (now). */
  lastRevision: number;
  /** Revision the state is at (null: before the first event). */
  revision: number | null;
  /** The aggregate's state folded with its decider's evolve; null for a category without one. */
  state: unknown;
  /** Set when the decider could not fold an event (the state stops before it). */
  stateError: string | null;
  /** Events from `fromRevision` up to the state's revision, at most `limit`. */
  events: EventLogItem[];
  /** Pass as fromRevision for the next events, null when none follow up to the state's revision. */
  nextFromRevision: number | null;
}

/**
 * A stream's events and its state at a revision or time (time travel), read from event_log only,
 * chunk by chunk in revision order. Null when the stream has no events.
 */
export async function readStreamAudit(
  knex: Knex,
  streamId: string,
  options: { at?: StateAt; fromRevision?: bigint; limit: number },
): Promise<StreamAudit | null> {
  const last = await knex.raw(`select max("revision") as "last" from "event_log" where "stream_id" = ?`, [
    streamId,
  ]);
  const lastRevision = (last.rows as { last: string | null }[])[0]?.last;
  if (lastRevision === null || lastRevision === undefined) return null;

  const category = streamCategory(streamId);
  const folder = new StreamStateFolder(category, options.at);
  const fromRevision = options.fromRevision ?? 0n;
  const events: EventLogItem[] = [];
  let nextFromRevision: number | null = null;
  let after = -1n;
  while (!folder.done) {
    const result = await knex.raw(
      `select "event_id", "position_commit", "position_prepare", "stream_id", "revision", "type", "actor_user_id",
              "actor_role", "impersonator_id", "ip", "user_agent", "correlation_id", "causation_id", "occurred_at",
              "data", "metadata"
       from "event_log" where "stream_id" = ? and "revision" > ? order by "revision" limit ${CHUNK}`,
      [streamId, after.toString()],
    );
    const rows = result.rows as EventLogRecord[];
    for (const row of rows) {
      const included = folder.apply({
        revision: BigInt(row.revision),
        type: row.type,
        data: row.data,
        occurredAt: new Date(eventLogItemTime(row)),
      });
      if (!included) break;
      if (BigInt(row.revision) >= fromRevision) {
        // Only the listed events are shaped (and redacted); the rest are only folded.
        if (events.length < options.limit) events.push(eventLogItem(row));
        else nextFromRevision ??= Number(row.revision);
      }
    }
    if (rows.length < CHUNK) break;
    after = BigInt(rows[rows.length - 1].revision);
  }
  return {
    streamId,
    category,
    lastRevision: Number(lastRevision),
    revision: folder.revision === null ? null : Number(folder.revision),
    state: folder.state(),
    stateError: folder.error,
    events,
    nextFromRevision,
  };
}
