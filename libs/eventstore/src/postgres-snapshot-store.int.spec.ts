import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase, testPool } from '@stratus/infra/testing';
import type { NewEvent, RecordedEvent } from './event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresSnapshotStore, loadAggregate } from './postgres-snapshot-store';

interface Counter {
  total: number;
  seen: number;
}

const added = (amount: number): NewEvent => ({
  id: randomUUID(),
  type: 'Added',
  data: { amount },
  metadata: {
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { userId: 'u1', role: 'system' },
    occurredAt: '2025-01-01T00:00:00.000Z',
    schemaVersion: 1,
  },
});

describe('PostgresSnapshotStore', () => {
  let database: TestDatabase;
  let pool: Pool;
  let events: PostgresEventStore;
  let snapshots: PostgresSnapshotStore;
  let folded: RecordedEvent[];
  const load = (streamId: string, schemaVersion = 1) =>
    loadAggregate<Counter>({
      events,
      snapshots,
      streamId,
      schemaVersion,
      initialState: () => ({ total: 0, seen: 0 }),
      evolve: (state, event) => {
        folded.push(event);
        return { total: state.total + (event.data as { amount: number }).amount, seen: state.seen + 1 };
      },
    });

  beforeAll(async () => {
    database = await createTestDatabase('stratus_snapshots');
    pool = testPool(database.url, 4);
    await PostgresEventStore.migrate(pool);
    events = new PostgresEventStore({ pool });
    snapshots = new PostgresSnapshotStore(pool);
  });
  beforeEach(() => {
    folded = [];
  });
  afterAll(async () => {
    await events.close();
    await pool.end();
    await database.drop();
  });

  it('loads nothing for an unknown stream', async () => {
    expect(await snapshots.load('nope')).toBeNull();
    expect(await load('nope')).toEqual({
      state: { total: 0, seen: 0 },
      revision: 'no_stream',
      eventsSinceSnapshot: 0,
    });
  });

  it('saves only newer snapshots', async () => {
    const streamId = `counter-${randomUUID()}`;
    expect(await snapshots.save(streamId, 5n, 1, { total: 5, seen: 5 })).toBe(true);
    expect(await snapshots.save(streamId, 3n, 1, { total: 3, seen: 3 })).toBe(false);
    expect(await snapshots.save(streamId, 5n, 1, { total: 99, seen: 5 })).toBe(false);
    expect(await snapshots.save(streamId, 7n, 1, { total: 7, seen: 7 })).toBe(true);
    const loaded = await snapshots.load<Counter>(streamId);
    expect(loaded).toMatchObject({ streamId, revision: 7n, schemaVersion: 1, state: { total: 7, seen: 7 } });
    expect(loaded?.takenAt).toBeInstanceOf(Date);
  });

  it('loads an aggregate as its snapshot plus the events after it, and ignores a snapshot of another version', async () => {
    const streamId = `counter-${randomUUID()}`;
    await events.appendToStream(streamId, [added(1), added(2), added(3)], { expectedRevision: 'no_stream' });
    const full = await load(streamId);
    expect(full).toEqual({ state: { total: 6, seen: 3 }, revision: 2n, eventsSinceSnapshot: 3 });

    await snapshots.save(streamId, full.revision as bigint, 1, full.state);
    await events.appendToStream(streamId, [added(10)], { expectedRevision: 2n });
    folded = [];
    expect(await load(streamId)).toEqual({
      state: { total: 16, seen: 4 },
      revision: 3n,
      eventsSinceSnapshot: 1,
    });
    expect(folded.map((e) => e.revision)).toEqual([3n]);

    folded = [];
    expect(await load(streamId, 2)).toEqual({
      state: { total: 16, seen: 4 },
      revision: 3n,
      eventsSinceSnapshot: 4,
    });
    expect(folded).toHaveLength(4);
  });
});
