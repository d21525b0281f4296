import type { Pool } from 'pg';
import { createTestDatabase, type TestDatabase, testPool } from '@stratus/infra/testing';
import { eventStoreContract, type CommitHold, type EventStoreHarness } from './event-store.contract';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresSubscription } from './postgres-subscription';
import type { Subscription } from './event-store.port';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function createPostgresHarness(): Promise<EventStoreHarness> {
  const database: TestDatabase = await createTestDatabase('stratus_eventstore');
  const admin = testPool(database.url, 2);
  await PostgresEventStore.migrate(admin);
  const stores: PostgresEventStore[] = [];
  const holds = new Map<string, { reached: () => void; released: Promise<'commit' | 'abort'> }>();

  return {
    async openStore(options = {}) {
      const pool = testPool(database.url, 12);
      const store = new PostgresEventStore({
        pool,
        ownsPool: true,
        upcasters: options.upcasters,
        subscriptionPollIntervalMs: options.pollIntervalMs,
        hooks: options.holdable
          ? {
              beforeCommit: async (streamId) => {
                const hold = holds.get(streamId);
                if (!hold) return;
                holds.delete(streamId);
                hold.reached();
                if ((await hold.released) === 'abort')
                  throw new Error(`append to ${streamId} aborted by the test`);
              },
            }
          : undefined,
      });
      stores.push(store);
      return store;
    },

    holdCommit(streamId): CommitHold {
      let reached!: () => void;
      let release!: (outcome: 'commit' | 'abort') => void;
      const hold = {
        reached: new Promise<void>((resolve) => (reached = resolve)),
        released: new Promise<'commit' | 'abort'>((resolve) => (release = resolve)),
      };
      holds.set(streamId, { reached, released: hold.released });
      return { reached: hold.reached, release: (outcome = 'commit') => release(outcome) };
    },

    async interruptSubscription(subscription: Subscription) {
      if (!(subscription instanceof PostgresSubscription)) throw new Error('not a PostgresSubscription');
      await subscription.whenListening();
      const pid = subscription.listenerProcessId;
      const reconnects = subscription.reconnects;
      const killed = await admin.query<{ killed: boolean }>('SELECT pg_terminate_backend($1) AS killed', [
        pid,
      ]);
      expect(killed.rows[0].killed).toBe(true);
      await waitFor(
        () => subscription.reconnects > reconnects && subscription.listenerProcessId !== null,
        'the LISTEN connection to come back',
      );
      expect(subscription.listenerProcessId).not.toBe(pid);
    },

    async dispose() {
      await Promise.all(stores.map((s) => s.close()));
      await admin.end();
      await database.drop();
    },
  };
}

eventStoreContract({
  name: 'PostgresEventStore',
  capabilities: { holdCommits: true, interruptSubscription: true, detectsDuplicateIdsAcrossStreams: true },
  createHarness: createPostgresHarness,
});

describe('PostgresEventStore.migrate', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('stratus_eventstore_migrate');
  });
  afterAll(async () => {
    await database.drop();
  });

  it('creates the schema idempotently, also when processes race to do it', async () => {
    const pools = Array.from({ length: 4 }, () => testPool(database.url, 1));
    try {
      await Promise.all(pools.map((pool) => PostgresEventStore.migrate(pool)));
      await PostgresEventStore.migrate(pools[0]);
      const tables = await pools[0].query<{ table_name: string }>(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'eventstore' ORDER BY table_name",
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['events', 'snapshots', 'streams']);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });
});

describe('PostgresEventStore subscriptions share one LISTEN connection', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  beforeAll(async () => {
    database = await createTestDatabase('stratus_eventstore_listen');
    pool = testPool(database.url, 4);
    await PostgresEventStore.migrate(pool);
    store = new PostgresEventStore({ pool, subscriptionPollIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  const listeners = async () =>
    (
      await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'`,
      )
    ).rows[0].n;

  it('ten subscriptions hold one connection, are all woken by an append, and release it when closed', async () => {
    const subscriptions = Array.from({ length: 10 }, () => store.subscribeToAll());
    await Promise.all(subscriptions.map((s) => s.whenListening()));
    expect(new Set(subscriptions.map((s) => s.listenerProcessId)).size).toBe(1);
    expect(await listeners()).toBe(1);

    // The poll interval is a minute: only the notification can deliver this within the test's timeout.
    const waiting = subscriptions.map((s) => s.nextBatch(10));
    await store.appendToStream(
      'listen-1',
      [
        {
          id: '6f1d2d4e-2f43-4c55-9a39-111111111111',
          type: 'Pinged',
          data: {},
          metadata: {
            correlationId: 'c',
            causationId: 'c',
            actor: { userId: 'u', role: 'system' },
            occurredAt: '2026-11-30T00:00:00.000Z',
            schemaVersion: 1,
          },
        },
      ],
      { expectedRevision: 'no_stream' },
    );
    const batches = await Promise.all(waiting);
    for (const batch of batches) expect(batch.map((e) => e.streamId)).toEqual(['listen-1']);

    await Promise.all(subscriptions.map((s) => s.close()));
    const deadline = Date.now() + 10_000;
    while ((await listeners()) !== 0) {
      if (Date.now() > deadline) throw new Error('the LISTEN connection was not released');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });
});
