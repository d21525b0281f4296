import type { EventStore } from '@stratus/eventstore';
import type { ProjectionsOrm } from '../orm';
import { findProjection } from '../read-models';
import { lockCheckpoint, resetCheckpoint } from './checkpoints';
import { ProjectionRunner, type ProjectionLogger } from './projection-runner';
import { RowTable } from './row-table';

/**
 * Empties a projection: its rows and its checkpoint, in one transaction. A running worker notices the
 * moved checkpoint on its next batch and replays from zero.
 * TODO(shadow tables): readers see an empty table until the replay catches up; a later issue rebuilds
 * into a shadow table and swaps it in.
 */
export async function resetProjection(orm: ProjectionsOrm, name: string): Promise<void> {
  const projection = findProjection(name);
  const table = new RowTable(orm, projection.entity);
  await orm.em
    .getConnection()
    .getKnex()
    .transaction(async (trx) => {
      await lockCheckpoint(trx, name);
      await table.truncate(trx);
      await resetCheckpoint(trx, name, 'rebuilding');
    });
}

/** Rebuilds a projection from zero: reset, then replay every stored event in this process. Returns events replayed. */
export async function rebuildProjection(
  orm: ProjectionsOrm,
  eventStore: EventStore,
  name: string,
  options: { batchSize?: number; logger?: ProjectionLogger } = {},
): Promise<number> {
  await resetProjection(orm, name);
  const runner = new ProjectionRunner({ orm, eventStore, projection: findProjection(name), ...options });
  return runner.catchUp();
}
