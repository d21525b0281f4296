import { Client } from 'pg';
import { createEventStore, formatPosition, type EventStore } from '@stratus/eventstore';
import { createTestDatabase, type TestDatabase } from '@stratus/infra/testing';
import { READ_MODEL_MIGRATIONS } from '../migrations';
import { createProjectionsOrm, migrateReadModels, type ProjectionsOrm } from '../orm';
import { PROJECTIONS, PROJECTIONS_NOTIFY_CHANNEL } from '../read-models';
import { walletsProjection } from '../wallets/wallets.projection';
import { WalletTransactionEntity } from '../wallet-transactions/wallet-transaction.entity';
import { WalletEntity } from '../wallets/wallet.entity';
import { MembershipEntity } from '../memberships/membership.entity';
import { ProjectionCheckpointEntity } from '../checkpoints/projection-checkpoint.entity';
import { LedgerSimulator } from '../testing/ledger-simulator';
import { foldReadModels, snapshotReadModels, waitFor } from '../testing/read-model-snapshot';
import { ProjectionRunner } from './projection-runner';
import { projectionStatuses } from './projection-status';
import { rebuildProjection } from './rebuild';

jest.setTimeout(120_000);

describe('projection runners on PostgreSQL', () => {
  let db: TestDatabase;
  let store: EventStore;
  let orm: ProjectionsOrm;
  let ledger: LedgerSimulator;

  beforeAll(async () => {
    db = await createTestDatabase('stratus_projections');
    store = await createEventStore({ kind: 'postgres', databaseUrl: db.url });
    orm = await createProjectionsOrm(db.url);
    expect(await migrateReadModels(orm)).toEqual(READ_MODEL_MIGRATIONS.map((m) => m.name));
    expect(await migrateReadModels(orm)).toEqual([]);
    ledger = new LedgerSimulator(store, 42);
    for (let u = 0; u < 6; u++) await ledger.registerUser(`u${u}`, u === 0 ? 'admin' : 'customer');
    for (let o = 0; o < 4; o++) {
      await ledger.createOrganization(`o${o}`, `u${o}`, [`u${(o + 1) % 6}`, `u${(o + 2) % 6}`]);
      await ledger.openWallet(`o${o}`);
      await ledger.moveMoney(`o${o}`, 25, 3);
    }
    await ledger.changeMembers('o1', 'u1', 'u2', 'u3');
    await ledger.teamChanges('o2', 'u2', 'u3', 'u5');
    await ledger.waitUntilVisible(store);
  });

  // Runners a failed assertion left running are stopped before the next test.
  const started: ProjectionRunner[] = [];
  const track = (runner: ProjectionRunner) => (started.push(runner), runner);
  afterEach(async () => {
    await Promise.all(started.splice(0).map((runner) => runner.stop()));
  });

  afterAll(async () => {
    await orm?.close(true);
    await store?.close();
    await db?.drop();
  });

  it('every projection run twice over the same events gives the same rows, equal to an in-memory fold', async () => {
    for (const projection of PROJECTIONS) {
      await new ProjectionRunner({ orm, eventStore: store, projection, batchSize: 7 }).catchUp();
    }
    const first = await snapshotReadModels(orm);
    expect(first).toEqual(await foldReadModels(orm, store));
    expect(first.users).toHaveLength(6);
    expect(first.organizations).toHaveLength(4);
    expect(first['wallet-transactions']).toHaveLength(100);
    expect(first['organization-roles']).toEqual([
      expect.objectContaining({ organizationId: 'o2', name: 'Operators', permissions: ['vps_view'] }),
    ]);
    expect(first.invitations.map((i) => (i as { status: string }).status)).toEqual([
      'accepted',
      'revoked',
      'pending',
    ]);

    for (const projection of PROJECTIONS)
      await rebuildProjection(orm, store, projection.name, { batchSize: 1000 });
    expect(await snapshotReadModels(orm)).toEqual(first);

    // Checkpoints passed every event, handled or not, and count all of them.
    const head = await store.headPosition();
    const statuses = await projectionStatuses(orm, store);
    for (const status of statuses) {
      expect(status).toMatchObject({
        checkpoint: formatPosition(head!),
        lagEvents: 0,
        lagSeconds: 0,
        lastError: null,
      });
    }
  });

  it('maps the read models through MikroORM with bigint money and dates', async () => {
    const em = orm.em.fork();
    const wallet = await em.findOneOrFail(WalletEntity, { organizationId: 'o0' });
    expect(typeof wallet.balance).toBe('bigint');
    expect(wallet.updatedAt).toBeInstanceOf(Date);
    const transactions = await em.find(
      WalletTransactionEntity,
      { organizationId: 'o0' },
      { orderBy: { positionCommit: 'desc', positionPrepare: 'desc' } },
    );
    expect(transactions).toHaveLength(25);
    expect(transactions[0].balanceAfter).toBe(wallet.balance);
    expect(transactions.reduce((sum, t) => sum + t.amount, 0n)).toBe(wallet.balance);
    expect(typeof transactions[0].positionCommit).toBe('bigint');
    const memberships = await em.find(MembershipEntity, { userId: 'u3' });
    expect(memberships.map((m) => m.organizationId).sort()).toEqual(['o2', 'o3']); // removed from o1
    const checkpoint = await em.findOneOrFail(ProjectionCheckpointEntity, { name: 'wallets' });
    expect(typeof checkpoint.eventsProcessed).toBe('bigint');
  });

  it('tails live events, notifies after commit, reports lag, and stops cleanly', async () => {
    const listener = new Client({ connectionString: db.url });
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query(`LISTEN ${PROJECTIONS_NOTIFY_CHANNEL}`);
    try {
      await ledger.moveMoney('o2', 30, 5);
      await ledger.waitUntilVisible(store);
      const lagging = (await projectionStatuses(orm, store)).find((s) => s.name === 'wallets')!;
      expect(lagging.lagEvents).toBe(30);
      expect(lagging.lagSeconds).toBeGreaterThan(0);

      const statuses: string[] = [];
      const runner = track(
        new ProjectionRunner({
          orm,
          eventStore: store,
          projection: walletsProjection,
          batchSize: 4,
          onStatus: (status) => statuses.push(status),
        }),
      );
      runner.start();
      const caughtUp = async () => {
        const head = await store.headPosition();
        return runner.checkpoint !== null && formatPosition(runner.checkpoint) === formatPosition(head!);
      };
      await waitFor(caughtUp, { timeoutMs: 20_000 });
      await ledger.moveMoney('o3', 3, 1);
      await ledger.waitUntilVisible(store);
      await waitFor(caughtUp, { timeoutMs: 20_000 });
      await waitFor(async () => heard.includes('wallets'), { timeoutMs: 5_000 });
      expect(statuses).toContain('running');
      await runner.stop();
      expect(runner.status).toBe('stopped');
      expect((await projectionStatuses(orm, store)).find((s) => s.name === 'wallets')).toMatchObject({
        status: 'stopped',
        lagEvents: 0,
        lagSeconds: 0,
      });
      const fold = await foldReadModels(orm, store);
      expect((await snapshotReadModels(orm)).wallets).toEqual(fold.wallets);
    } finally {
      await listener.end();
    }
  });

  it('records a failing batch, retries with backoff, and recovers without losing the batch', async () => {
    let failuresLeft = 2;
    const flaky = {
      ...walletsProjection,
      evolve: (
        row: Parameters<typeof walletsProjection.evolve>[0],
        event: Parameters<typeof walletsProjection.evolve>[1],
      ) => {
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          throw new Error('evolve exploded');
        }
        return walletsProjection.evolve(row, event);
      },
    };
    const statuses: string[] = [];
    const runner = track(
      new ProjectionRunner({
        orm,
        eventStore: store,
        projection: flaky,
        batchSize: 50,
        retry: { initialMs: 400, maxMs: 800 },
        onStatus: (status) => statuses.push(status),
      }),
    );
    await ledger.moveMoney('o1', 5, 5);
    await ledger.waitUntilVisible(store);
    runner.start();
    try {
      await waitFor(async () => statuses.includes('failed'), { timeoutMs: 10_000 });
      const failed = (await projectionStatuses(orm, store)).find((s) => s.name === 'wallets')!;
      expect(failed.status).toBe('failed');
      expect(failed.lastError ?? '').toContain('evolve exploded');
      await waitFor(
        async () => (await projectionStatuses(orm, store)).find((s) => s.name === 'wallets')!.lagEvents === 0,
        {
          timeoutMs: 20_000,
        },
      );
    } finally {
      await runner.stop();
    }
    expect(failuresLeft).toBe(0);
    expect(statuses.filter((s) => s === 'failed')).toHaveLength(2);
    const fold = await foldReadModels(orm, store);
    expect((await snapshotReadModels(orm)).wallets).toEqual(fold.wallets);
    expect((await projectionStatuses(orm, store)).find((s) => s.name === 'wallets')!.lastError).toBeNull();
  });

  it('two runners of one projection never apply an event twice', async () => {
    await ledger.moveMoney('o0', 40, 2);
    await ledger.waitUntilVisible(store);
    const a = track(
      new ProjectionRunner({ orm, eventStore: store, projection: walletsProjection, batchSize: 3 }),
    );
    const b = track(
      new ProjectionRunner({ orm, eventStore: store, projection: walletsProjection, batchSize: 5 }),
    );
    a.start();
    b.start();
    try {
      const head = formatPosition((await store.headPosition())!);
      await waitFor(
        async () =>
          (await projectionStatuses(orm, store)).find((s) => s.name === 'wallets')!.checkpoint === head,
        { timeoutMs: 20_000 },
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const fold = await foldReadModels(orm, store);
    expect((await snapshotReadModels(orm)).wallets).toEqual(fold.wallets);
  });
});
