import type { Knex } from '@mikro-orm/postgresql';
import type { Position } from '@stratus/eventstore';
import type { ProjectionStatus } from '../checkpoints/projection-checkpoint.entity';

function toPosition(
  record: { position_commit: string | null; position_prepare: string | null } | undefined,
): Position | null {
  if (!record || record.position_commit === null || record.position_prepare === null) return null;
  return { commit: BigInt(record.position_commit), prepare: BigInt(record.position_prepare) };
}

export function samePosition(a: Position | null, b: Position | null): boolean {
  if (a === null || b === null) return a === b;
  return a.commit === b.commit && a.prepare === b.prepare;
}

export async function readCheckpoint(db: Knex, name: string): Promise<Position | null> {
  const result = await db.raw(
    `select position_commit, position_prepare from projection_checkpoints where name = ?`,
    [name],
  );
  return toPosition(result.rows[0]);
}

/**
 * Locks the projection's checkpoint row for the rest of the transaction (creating it on first use) and
 * returns its position. Every writer of a projection's rows takes this lock first, so two runners of the
 * same projection (a restarted worker, a rebuild) serialize instead of interleaving.
 */
export async function lockCheckpoint(trx: Knex, name: string): Promise<Position | null> {
  await trx.raw(
    `insert into projection_checkpoints (name, events_processed, status, updated_at)
     values (?, 0, 'catching_up', now()) on conflict (name) do nothing`,
    [name],
  );
  const result = await trx.raw(
    `select position_commit, position_prepare from projection_checkpoints where name = ? for update`,
    [name],
  );
  return toPosition(result.rows[0]);
}

export async function advanceCheckpoint(
  trx: Knex,
  name: string,
  update: { position: Position; events: number; status: ProjectionStatus; lastEventAt: Date | null },
): Promise<void> {
  await trx.raw(
    `update projection_checkpoints
        set position_commit = ?, position_prepare = ?, events_processed = events_processed + ?,
            status = ?, last_error = null, last_event_at = coalesce(?, last_event_at), updated_at = now()
      where name = ?`,
    [
      update.position.commit.toString(),
      update.position.prepare.toString(),
      update.events,
      update.status,
      update.lastEventAt,
      name,
    ],
  );
}

/** Records a status outside a batch (failure, stop). `lastError` undefined keeps the previous one. */
export async function recordStatus(
  db: Knex,
  name: string,
  status: ProjectionStatus,
  lastError?: string | null,
): Promise<void> {
  await db.raw(
    `insert into projection_checkpoints (name, events_processed, status, last_error, updated_at)
     values (?, 0, ?, ?, now())
     on conflict (name) do update set status = excluded.status,
       last_error = case when ? then excluded.last_error else projection_checkpoints.last_error end,
       updated_at = now()`,
    [name, status, lastError ?? null, lastError !== undefined],
  );
}

/** Starts a checkpoint from nothing (a rebuild's shadow checkpoint), replacing any stale one. */
export async function createEmptyCheckpoint(
  trx: Knex,
  name: string,
  status: ProjectionStatus,
): Promise<void> {
  await trx.raw(
    `insert into projection_checkpoints (name, events_processed, status, updated_at) values (?, 0, ?, now())
     on conflict (name) do update set position_commit = null, position_prepare = null, events_processed = 0,
       status = excluded.status, last_error = null, last_event_at = null, updated_at = now()`,
    [name, status],
  );
}

export async function deleteCheckpoint(trx: Knex, name: string): Promise<void> {
  await trx.raw(`delete from projection_checkpoints where name = ?`, [name]);
}

/**
 * Moves checkpoint `to` onto checkpoint `from`'s position, event count and last event time (the swap of
 * a rebuild). Status and last error stay: they describe the live runner.
 */
export async function adoptCheckpoint(trx: Knex, to: string, from: string): Promise<void> {
  await trx.raw(
    `update projection_checkpoints as live
        set position_commit = source.position_commit, position_prepare = source.position_prepare,
            events_processed = source.events_processed, last_event_at = source.last_event_at, updated_at = now()
       from projection_checkpoints as source
      where live.name = ? and source.name = ?`,
    [to, from],
  );
}
