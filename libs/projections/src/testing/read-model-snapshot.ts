import type { EventStore, RecordedEvent } from '@stratus/eventstore';
import type { ProjectionsOrm } from '../orm';
import { foldProjection } from '../projection';
import { PROJECTIONS } from '../read-models';
import { RowTable } from '../runner/row-table';

/** Every projection's rows, sorted by primary key: comparable with toEqual. */
export type ReadModelSnapshot = Record<string, object[]>;

export async function snapshotReadModels(orm: ProjectionsOrm): Promise<ReadModelSnapshot> {
  const knex = orm.em.getConnection().getKnex();
  const snapshot: ReadModelSnapshot = {};
  for (const projection of PROJECTIONS) {
    const table = new RowTable<object>(orm, projection.entity);
    const rows = await table.all(knex);
    snapshot[projection.name] = sortByKey(table, rows);
  }
  return snapshot;
}

/** The same shape computed in memory by folding every event in the store. */
export async function foldReadModels(orm: ProjectionsOrm, store: EventStore): Promise<ReadModelSnapshot> {
  const events = await readEverything(store);
  const snapshot: ReadModelSnapshot = {};
  for (const projection of PROJECTIONS) {
    const table = new RowTable<object>(orm, projection.entity);
    snapshot[projection.name] = sortByKey(table, [...foldProjection(projection, events).values()]);
  }
  return snapshot;
}

export async function readEverything(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = null;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    events.push(...page.events);
    if (page.events.length === 0 || !page.isFull) return events;
    after = page.lastPosition;
  }
}

function sortByKey(table: RowTable<object>, rows: object[]): object[] {
  return rows
    .map((row) => [table.keyOfRow(row), row] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, row]) => row);
}

/** Polls `check` until it returns true, failing with `describe()` after the deadline. */
export async function waitFor(
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => Promise<string> | string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Condition not met within ${options.timeoutMs} ms${options.describe ? `: ${await options.describe()}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
