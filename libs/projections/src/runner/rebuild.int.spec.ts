import { Client } from 'pg';
import { comparePositions, createEventStore, formatPosition, type EventStore } from '@stratus/eventstore';
import { createTestDatabase, type TestDatabase } from '@stratus/infra/testing';
import { createProjectionsOrm, migrateReadModels, type ProjectionsOrm } from '../orm';
import { foldProjection, type AnyProjection } from '../projection';
import { PROJECTIONS } from '../read-models';
import { LedgerSimulator } from '../testing/ledger-simulator';
import { readEverything, waitFor } from '../testing/read-model-snapshot';
import { walletTransactionsProjection } from '../wallet-transactions/wallet-transactions.projection';
import { readCheckpoint } from './checkpoints';
import { ProjectionRunner } from './projection-runner';
import { projectionStatuses, rebuildProgress } from './projection-status';
import {
  isRebuildRunning,
  REBUILD_LOCK_CLASS,
  rebuildCheckpointName,
  rebuildProjection,
  RebuildInProgressError,
  runShadowRebuild,
  tryLockRebuild,
} from './rebuild';
import { RowTable } from './row-table';

jest.setTimeout(120_000);

const projection: AnyProjection = walletTransactionsProjection;
const NAME = projection.name;

describe('shadow rebuild on PostgreSQL', () => {
  let db: TestDatabase;
  let store: EventStore;
  let orm: ProjectionsOrm;
  let ledger: LedgerSimulator;
  let table: RowTable<object>;
  const knex = () => orm.em.getConnection().getKnex();

  beforeAll(async () => {
    db = await createTestDatabase('stratus_rebuild');
    store = await createEventStore({ kind: 'postgres', databaseUrl: db.url });
    orm = await createProjectionsOrm(db.url);
    await migrateReadModels(orm);
    table = new RowTable<object>(orm, projection.entity);
    ledger = new LedgerSimulator(store, 7);
    for (let u = 0; u < 3; u++) await ledger.registerUser(`u${u}`);
    for (let o = 0; o < 3; o++) {
      await ledger.createOrganization(`o${o}`, `u${o}`);
      await ledger.openWallet(`o${o}`);
      await ledger.moveMoney(`o${o}`, 60, 6);
    }
    await ledger.waitUntilVisible(store);
  });

  const started: ProjectionRunner[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((runner) => runner.stop()));
  });

  afterAll(async () => {
    await orm?.close(true);
    await store?.close();
    await db?.drop();
  });

  const liveRunner = () => {
    const runner = new ProjectionRunner({ orm, eventStore: store, projection, batchSize: 7 });
    started.push(runner);
    return runner;
  };
  const rowIds = async () =>
    new Set(
      ((await knex().raw(`select id from wallet_transactions`)).rows as { id: string }[]).map((r) => r.id),
    );
  const expectedRows = async () => {
    const rows = [...foldProjection(projection, await readEverything(store)).values()];
    return rows.map((row) => [table.keyOfRow(row), row] as const).sort(([a], [b]) => (a < b ? -1 : 1));
  };
  const liveRows = async () => (await table.all(knex())).map((row) => [table.keyOfRow(row), row] as const);
  const caughtUp = async () => {
    const head = await store.headPosition();
    const checkpoint = await readCheckpoint(knex(), NAME);
    return checkpoint !== null && formatPosition(checkpoint) === formatPosition(head!);
  };

  it('swaps a shadow in while the live runner runs: readers never see missing rows, new events keep arriving', async () => {
    const live = liveRunner();
    await live.catchUp();
    live.start();
    const before = await rowIds();
    expect(before.size).toBe(180);
    const originalIndexes = (
      await knex().raw(`select indexname from pg_indexes where tablename = 'wallet_transactions' order by 1`)
    ).rows;

    // Readers: one poll started at every shadow batch, plus one polling throughout.
    const problems: string[] = [];
    let lastCheckpoint: string | null = null;
    const checkpoints: { commit: bigint; prepare: bigint }[] = [];
    const poll = async () => {
      const ids = await rowIds();
      const missing = [...before].filter((id) => !ids.has(id));
      if (missing.length > 0) problems.push(`${missing.length} rows missing (of ${ids.size} seen)`);
      const checkpoint = await readCheckpoint(knex(), NAME);
      if (checkpoint) checkpoints.push(checkpoint);
      lastCheckpoint = checkpoint ? formatPosition(checkpoint) : null;
    };
    const polls: Promise<void>[] = [];
    let appended: Promise<void> | null = null;
    let shadowBatches = 0;
    let rebuilding = true;
    const poller = (async () => {
      let rounds = 0;
      while (rebuilding || rounds === 0) {
        await poll();
        rounds += 1;
      }
      return rounds;
    })();

    const events = await rebuildProjection(orm, store, NAME, {
      batchSize: 10,
      onBatch: () => {
        shadowBatches += 1;
        polls.push(poll());
        // Events appended while the rebuild runs: the live runner applies them, and so must the new table.
        if (shadowBatches === 3) appended = ledger.moveMoney('o1', 12, 2);
      },
    }).finally(() => {
      rebuilding = false;
    });
    await Promise.all(polls);
    expect(await poller).toBeGreaterThan(0);
    expect(shadowBatches).toBeGreaterThanOrEqual(10);
    expect(events).toBeGreaterThanOrEqual(200);
    expect(problems).toEqual([]);
    expect(lastCheckpoint).not.toBeNull();
    // The live checkpoint only ever moved forward (no reader waiting on it saw it go back).
    for (let i = 1; i < checkpoints.length; i++) {
      expect(comparePositions(checkpoints[i], checkpoints[i - 1])).toBeGreaterThanOrEqual(0);
    }

    await appended;
    await ledger.moveMoney('o2', 8, 2); // after the swap
    await ledger.waitUntilVisible(store);
    await waitFor(caughtUp, { timeoutMs: 30_000 });
    expect(await liveRows()).toEqual(await expectedRows());
    expect((await rowIds()).size).toBe(180 + 12 + 8);
    expect(live.status).not.toBe('failed');

    // Same indexes under the same names (migrations drop them by name), no shadow left behind.
    expect(
      (
        await knex().raw(
          `select indexname from pg_indexes where tablename = 'wallet_transactions' order by 1`,
        )
      ).rows,
    ).toEqual(originalIndexes);
    expect(
      (
        await knex().raw(
          `select count(*)::int as n from pg_tables where tablename like 'wallet_transactions\\_\\_%'`,
        )
      ).rows[0].n,
    ).toBe(0);
    expect(await readCheckpoint(knex(), rebuildCheckpointName(NAME))).toBeNull();
    expect(await rebuildProgress(orm, store)).toEqual([]);
    expect((await projectionStatuses(orm, store)).map((s) => s.name)).toEqual(PROJECTIONS.map((p) => p.name));
  });

  it('a rebuild killed midway leaves the live table untouched; the next one drops its shadow and succeeds', async () => {
    const live = liveRunner();
    live.start();
    await waitFor(caughtUp, { timeoutMs: 30_000 });
    const before = await liveRows();
    const checkpointBefore = await readCheckpoint(knex(), NAME);

    const abort = new AbortController();
    let batches = 0;
    await expect(
      rebuildProjection(orm, store, NAME, {
        batchSize: 10,
        signal: abort.signal,
        onBatch: () => {
          batches += 1;
          if (batches === 3) abort.abort(new Error('killed after 3 batches'));
        },
      }),
    ).rejects.toThrow('killed after 3 batches');
    expect(batches).toBe(3);
    expect(await liveRows()).toEqual(before);
    expect(await readCheckpoint(knex(), NAME)).toEqual(checkpointBefore);
    // The dead rebuild's shadow is visible as such: no process holds its lock.
    const [stale] = await rebuildProgress(orm, store);
    expect(stale).toMatchObject({ projection: NAME, eventsProcessed: 30, running: false });
    expect(await isRebuildRunning(orm, NAME)).toBe(false);

    await ledger.moveMoney('o0', 4, 2);
    await ledger.waitUntilVisible(store);
    await rebuildProjection(orm, store, NAME, { batchSize: 50 });
    await waitFor(caughtUp, { timeoutMs: 30_000 });
    expect(await liveRows()).toEqual(await expectedRows());
    expect(await rebuildProgress(orm, store)).toEqual([]);
  });

  it('a reader holding the table makes the swap retry; one that never lets go fails the rebuild, live table untouched', async () => {
    const live = liveRunner();
    live.start();
    await waitFor(caughtUp, { timeoutMs: 30_000 });
    const before = await liveRows();
    const reader = new Client({ connectionString: db.url });
    await reader.connect();
    try {
      // A long read (an export) holds the table's ACCESS SHARE lock until it commits.
      await reader.query('begin');
      await reader.query('select count(*) from wallet_transactions');
      const warnings: string[] = [];
      const logger = { info() {}, debug() {}, error() {}, warn: (message: string) => warnings.push(message) };
      await expect(
        rebuildProjection(orm, store, NAME, { batchSize: 100, swapLockTimeoutMs: 50, logger }),
      ).rejects.toMatchObject({ code: '55P03' });
      expect(warnings.filter((w) => w.includes('retrying'))).toHaveLength(9);
      expect(await liveRows()).toEqual(before);
      expect(live.status).not.toBe('failed');

      warnings.length = 0;
      const rebuilt = rebuildProjection(orm, store, NAME, { batchSize: 100, swapLockTimeoutMs: 50, logger });
      await waitFor(async () => warnings.some((w) => w.includes('retrying')), { timeoutMs: 30_000 });
      await reader.query('commit');
      await rebuilt;
    } finally {
      await reader.end();
    }
    await ledger.moveMoney('o2', 2, 1);
    await ledger.waitUntilVisible(store);
    await waitFor(caughtUp, { timeoutMs: 30_000 });
    expect(await liveRows()).toEqual(await expectedRows());
  });

  it('one rebuild per projection at a time, across sessions', async () => {
    const lock = await tryLockRebuild(orm, NAME);
    expect(lock).not.toBeNull();
    try {
      expect(await isRebuildRunning(orm, NAME)).toBe(true);
      expect(await tryLockRebuild(orm, NAME)).toBeNull();
      await expect(rebuildProjection(orm, store, NAME)).rejects.toBeInstanceOf(RebuildInProgressError);
      // Another projection is not blocked.
      expect(await isRebuildRunning(orm, 'wallets')).toBe(false);
      await rebuildProjection(orm, store, 'wallets', { batchSize: 100 });
    } finally {
      await lock!.release();
    }
    expect(await isRebuildRunning(orm, NAME)).toBe(false);
    const again = await tryLockRebuild(orm, NAME);
    try {
      const result = await runShadowRebuild(orm, store, again!, { batchSize: 100 });
      expect(result).toMatchObject({ projection: NAME, position: await store.headPosition() });
      expect(result.events).toBeGreaterThan(200);
    } finally {
      await again!.release();
    }
    expect(await liveRows()).toEqual(await expectedRows());
  });

  it("another database's rebuild of the same projection is not this one's", async () => {
    const other = await createTestDatabase('stratus_rebuild_other');
    const elsewhere = new Client({ connectionString: other.url });
    await elsewhere.connect();
    try {
      await elsewhere.query('select pg_advisory_lock($1, hashtext($2))', [REBUILD_LOCK_CLASS, NAME]);
      expect(await isRebuildRunning(orm, NAME)).toBe(false);
      const lock = await tryLockRebuild(orm, NAME);
      expect(lock).not.toBeNull();
      await lock!.release();
    } finally {
      await elsewhere.end();
      await other.drop();
    }
  });
});
