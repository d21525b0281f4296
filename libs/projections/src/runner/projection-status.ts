import { formatPosition, type EventStore, type Position } from '@stratus/eventstore';
import type { ProjectionStatus } from '../checkpoints/projection-checkpoint.entity';
import type { ProjectionsOrm } from '../orm';
import { PROJECTIONS } from '../read-models';
import { isRebuildRunning, rebuildCheckpointName } from './rebuild';

export interface ProjectionStatusReport {
  name: string;
  /** "commit/prepare", or null before the first batch. */
  checkpoint: string | null;
  /** Events after the checkpoint, counted up to LAG_COUNT_CAP. */
  lagEvents: number;
  /** Age of the oldest unprocessed event; 0 when caught up. */
  lagSeconds: number;
  status: ProjectionStatus;
  lastError: string | null;
  eventsProcessed: number;
}

export const LAG_COUNT_CAP = 100_000;

/** Checkpoint, lag and status of every projection (the workers' metrics and the API's /health). */
export async function projectionStatuses(
  orm: ProjectionsOrm,
  eventStore: EventStore,
  now: () => Date = () => new Date(),
): Promise<ProjectionStatusReport[]> {
  const knex = orm.em.getConnection().getKnex();
  const result = await knex.raw(
    `select name, position_commit, position_prepare, events_processed, status, last_error from projection_checkpoints`,
  );
  const stored = new Map<string, Record<string, string | null>>(
    (result.rows as Record<string, string | null>[]).map((row) => [row.name as string, row]),
  );
  return Promise.all(
    PROJECTIONS.map(async ({ name }): Promise<ProjectionStatusReport> => {
      const row = stored.get(name);
      const position: Position | null =
        row && row.position_commit !== null && row.position_prepare !== null
          ? { commit: BigInt(row.position_commit), prepare: BigInt(row.position_prepare) }
          : null;
      const [lagEvents, oldest] = await Promise.all([
        eventStore.countAfter(position, LAG_COUNT_CAP),
        eventStore.readAll({ after: position, maxCount: 1 }),
      ]);
      const first = oldest.events[0];
      const lagSeconds = first
        ? Math.max(0, (now().getTime() - new Date(first.metadata.occurredAt).getTime()) / 1000)
        : 0;
      return {
        name,
        checkpoint: position ? formatPosition(position) : null,
        lagEvents,
        lagSeconds: Number.isFinite(lagSeconds) ? lagSeconds : 0,
        status: (row?.status as ProjectionStatus | undefined) ?? 'stopped',
        lastError: row?.last_error ?? null,
        eventsProcessed: Number(row?.events_processed ?? 0),
      };
    }),
  );
}

/** A rebuild's shadow, from its own checkpoint. */
export interface RebuildProgressReport {
  projection: string;
  /** Shadow checkpoint, "commit/prepare", or null before its first batch. */
  checkpoint: string | null;
  /** Events replayed into the shadow so far. */
  eventsProcessed: number;
  /** Events still to replay before the swap, counted up to LAG_COUNT_CAP. */
  lagEvents: number;
  /** Last batch committed into the shadow (or its creation). */
  updatedAt: string;
  /** Some process holds the rebuild lock; false means a shadow left by a rebuild that died. */
  running: boolean;
}

/** Every projection that has a rebuild shadow: in progress, or left behind by one that died. */
export async function rebuildProgress(
  orm: ProjectionsOrm,
  eventStore: EventStore,
): Promise<RebuildProgressReport[]> {
  const knex = orm.em.getConnection().getKnex();
  const shadows = new Map(PROJECTIONS.map(({ name }) => [rebuildCheckpointName(name), name]));
  const result = await knex.raw(
    `select name, position_commit, position_prepare, events_processed, updated_at
       from projection_checkpoints where name = any(?)`,
    [[...shadows.keys()]],
  );
  return Promise.all(
    (result.rows as Record<string, string | Date | null>[]).map(async (row) => {
      const projection = shadows.get(row.name as string)!;
      const position: Position | null =
        row.position_commit !== null && row.position_prepare !== null
          ? { commit: BigInt(row.position_commit as string), prepare: BigInt(row.position_prepare as string) }
          : null;
      const [lagEvents, running] = await Promise.all([
        eventStore.countAfter(position, LAG_COUNT_CAP),
        isRebuildRunning(orm, projection),
      ]);
      return {
        projection,
        checkpoint: position ? formatPosition(position) : null,
        eventsProcessed: Number(row.events_processed ?? 0),
        lagEvents,
        updatedAt: new Date(row.updated_at as string | Date).toISOString(),
        running,
      };
    }),
  );
}
