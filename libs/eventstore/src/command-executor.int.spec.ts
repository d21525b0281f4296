import type { Pool } from 'pg';
import {
  streams,
  walletBalanceOf,
  walletDecider,
  walletStateFromSnapshot,
  walletStateToSnapshot,
  WALLET_SNAPSHOT_SCHEMA_VERSION,
  WALLET_STREAM_POLICY,
  type StreamPolicy,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import { createTestDatabase, type TestDatabase, testPool } from '@stratus/infra/testing';
import { CommandExecutor, deterministicEventId, type CommandContext } from './command-executor';
import { WrongExpectedRevisionError, type EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresSnapshotStore } from './postgres-snapshot-store';

const context: CommandContext = {
  actor: { userId: 'system', role: 'system' },
  correlationId: 'test',
  causationId: 'test',
};
/** The wallet's policy with a snapshot every 3 events, so a few commands take one. */
const SNAPSHOTS: StreamPolicy<WalletState> = {
  snapshots: {
    every: 3,
    schemaVersion: WALLET_SNAPSHOT_SCHEMA_VERSION,
    toSnapshot: walletStateToSnapshot,
    fromSnapshot: walletStateFromSnapshot,
  },
};

describe('CommandExecutor (real PostgreSQL)', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let executor: CommandExecutor;
  let org = 0;

  beforeAll(async () => {
    database = await createTestDatabase('stratus_cmdexec');
    pool = testPool(database.url, 8);
    await PostgresEventStore.migrate(pool);
    store = new PostgresEventStore({ pool, ownsPool: false });
    executor = new CommandExecutor({ eventStore: store, snapshots: new PostgresSnapshotStore(pool) });
  });
  afterAll(async () => {
    await store.close();
    await pool.end();
    await database.drop();
  });

  const run = (organizationId: string, key: string, command: (meta: never) => unknown, snapshots = false) =>
    executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context,
      idempotencyKey: key,
      policy: snapshots ? SNAPSHOTS : undefined,
      command: (_state, metadata) =>
        ({ ...(command(metadata as never) as object), metadata }) as WalletCommand,
    });

  async function openFunded(amount: bigint): Promise<string> {
    const organizationId = `org-${++org}-${Date.now()}`;
    await run(organizationId, `open:${organizationId}`, () => ({
      type: 'OpenWallet',
      data: { walletId: `w-${organizationId}`, organizationId },
    }));
    await run(organizationId, `credit:${organizationId}`, () => ({
      type: 'CreditWallet',
      data: { amount, source: 'staff_credit', reason: 'test' },
    }));
    return organizationId;
  }
  const charge = (organizationId: string, chargeId: string, amount: bigint, snapshots = false) =>
    run(
      organizationId,
      `charge:${chargeId}`,
      () => ({ type: 'ChargeWallet', data: { chargeId, amount, description: 'test charge' } }),
      snapshots,
    );
  const ledger = async (organizationId: string) =>
    (await store.readStream(streams.wallet(organizationId))).map(
      (e) => ({ type: e.type, data: e.data }) as WalletEvent,
    );

  it('a re-run of the same command is acknowledged, not appended again', async () => {
    const organizationId = await openFunded(10_000_000n);
    const first = await charge(organizationId, 'c-1', 1_000_000n);
    const second = await charge(organizationId, 'c-1', 1_000_000n);
    expect(first.alreadyApplied).toBe(false);
    expect(second.alreadyApplied).toBe(true);
    expect(second.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(first.events[0].id).toBe(deterministicEventId('charge:c-1/0'));
    const events = await ledger(organizationId);
    expect(events.filter((e) => e.type === 'WalletCharged')).toHaveLength(1);
    expect(walletBalanceOf(events)).toBe(9_000_000n);
  });

  it('the first outcome stands when the decision would differ on a re-run', async () => {
    const organizationId = await openFunded(1_000_000n);
    const failed = await charge(organizationId, 'c-2', 5_000_000n);
    expect(failed.events[0].type).toBe('WalletChargeFailed');
    await run(organizationId, 'credit-more', () => ({
      type: 'CreditWallet',
      data: { amount: 10_000_000n, source: 'payment', reason: 'top-up' },
    }));
    const again = await charge(organizationId, 'c-2', 5_000_000n);
    expect(again.alreadyApplied).toBe(true);
    expect(again.events[0].type).toBe('WalletChargeFailed');
    expect(walletBalanceOf(await ledger(organizationId))).toBe(11_000_000n);
  });

  it('a re-run hidden behind a snapshot is still acknowledged', async () => {
    const organizationId = await openFunded(100_000_000n);
    await charge(organizationId, 'c-3', 1_000_000n, true);
    for (let i = 0; i < 5; i++) await charge(organizationId, `c-3-${i}`, 1_000_000n, true);
    await executor.flush();
    const snapshot = await new PostgresSnapshotStore(pool).load(streams.wallet(organizationId));
    expect(snapshot!.revision).toBeGreaterThan(2n); // the first charge is folded into it
    const again = await charge(organizationId, 'c-3', 1_000_000n, true);
    expect(again.alreadyApplied).toBe(true);
    const events = await ledger(organizationId);
    expect(events.filter((e) => e.type === 'WalletCharged')).toHaveLength(6);
    expect(walletBalanceOf(events)).toBe(94_000_000n);
  });

  it('a paid charge retried after a snapshot answers the charge, never a failed charge (issue 11, item 9)', async () => {
    // The billing activity's ids: WalletCharged's depends on the charge only, WalletChargeFailed's on the attempt.
    const chargeOnce = (organizationId: string, chargeId: string, amount: bigint) => {
      const chargedId = deterministicEventId(`item9-charge:${chargeId}`);
      const failedId = deterministicEventId(`item9-charge-failed:${chargeId}:1`);
      return executor.execute<WalletState, WalletCommand, WalletEvent>({
        streamId: streams.wallet(organizationId),
        decider: walletDecider,
        context: { ...context, causationId: `activity-${chargeId}` }, // each activity has its own
        policy: SNAPSHOTS,
        eventId: (event) => (event.type === 'WalletCharged' ? chargedId : failedId),
        appliedIds: [chargedId, failedId],
        command: (_state, metadata) => ({
          type: 'ChargeWallet',
          data: { chargeId, amount, description: 'period' },
          metadata,
        }),
      });
    };
    const organizationId = await openFunded(10_000_000n);
    const paid = await chargeOnce(organizationId, 'period-1', 4_000_000n);
    expect(paid.events.map((e) => e.type)).toEqual(['WalletCharged']);
    // Other charges drain the wallet and a snapshot is taken past the paid one.
    for (let i = 0; i < 6; i++) await chargeOnce(organizationId, `other-${i}`, 1_000_000n);
    await executor.flush();
    const snapshot = await new PostgresSnapshotStore(pool).load(streams.wallet(organizationId));
    expect(snapshot!.revision).toBeGreaterThan(2n);

    // The activity's answer was lost; Temporal retries the same attempt.
    const retried = await chargeOnce(organizationId, 'period-1', 4_000_000n);
    expect(retried.alreadyApplied).toBe(true);
    expect(retried.events.map((e) => e.type)).toEqual(['WalletCharged']);
    const events = await ledger(organizationId);
    expect(events.filter((e) => e.type === 'WalletChargeFailed').map((e) => e.data)).not.toContainEqual(
      expect.objectContaining({ chargeId: 'period-1' }),
    );
  });

  it('concurrent writers on one stream all land, each once (retry on wrong expected revision)', async () => {
    const organizationId = await openFunded(100_000_000n);
    const ids = Array.from({ length: 12 }, (_, i) => `par-${i}`);
    // Every charge twice at once: 24 racing commands, 12 distinct charges.
    await Promise.all([...ids, ...ids].map((id) => charge(organizationId, id, 1_000_000n)));
    const events = await ledger(organizationId);
    expect(events.filter((e) => e.type === 'WalletCharged')).toHaveLength(12);
    expect(walletBalanceOf(events)).toBe(88_000_000n);
  });

  it('a null command appends nothing', async () => {
    const organizationId = await openFunded(1_000_000n);
    const result = await executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context,
      idempotencyKey: 'nothing',
      command: () => null,
    });
    expect(result.events).toEqual([]);
    expect(await ledger(organizationId)).toHaveLength(2);
  });

  const clock = () => new Date('2026-01-01T00:00:00.000Z');
  const open = (on: CommandExecutor, organizationId: string) =>
    on.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context: { ...context },
      policy: WALLET_STREAM_POLICY,
      command: (_state, metadata) => ({
        type: 'OpenWallet',
        data: { walletId: `w-${organizationId}`, organizationId },
        metadata,
      }),
    });
  const credit = (on: CommandExecutor, organizationId: string, amount: bigint, ctx = { ...context }) =>
    on.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context: ctx,
      policy: WALLET_STREAM_POLICY,
      command: (_state, metadata) => ({
        type: 'CreditWallet',
        data: { amount, source: 'staff_credit', reason: 'test' },
        metadata,
      }),
    });

  it('wallets take a snapshot every 200 events, off the command path, and load from it', async () => {
    const snapshots = new PostgresSnapshotStore(pool);
    const withClock = new CommandExecutor({ eventStore: store, snapshots, clock });
    const organizationId = `org-snap-${Date.now()}`;
    await open(withClock, organizationId);
    let last;
    for (let i = 0; i < 205; i++) last = await credit(withClock, organizationId, 1_000_000n);
    // The executor returns the decided state: no need to read the stream again.
    expect(last!.state).toMatchObject({ status: 'open', balance: 205_000_000n });
    expect(last!.revision).toBe(205n);
    await withClock.flush();
    const stored = await snapshots.load(streams.wallet(organizationId));
    expect(stored).not.toBeNull();
    expect(stored!.revision).toBeGreaterThanOrEqual(199n);
    const loaded = await withClock.load(streams.wallet(organizationId), walletDecider, WALLET_STREAM_POLICY);
    expect(loaded.snapshotRevision).toBe(stored!.revision);
    expect(loaded.events.length).toBe(Number(205n - stored!.revision));
    expect(loaded.revision).toBe(205n);
    // Same state as folding every event from the start.
    const full = await withClock.load(streams.wallet(organizationId), walletDecider);
    expect(walletStateToSnapshot(loaded.state)).toEqual(walletStateToSnapshot(full.state));
    // Metadata carries the executor's clock reading and the actor.
    const [first] = await store.readStream(streams.wallet(organizationId), { maxCount: 1 });
    expect(first.metadata).toMatchObject({
      occurredAt: '2026-01-01T00:00:00.000Z',
      actor: { role: 'system' },
      schemaVersion: 1,
    });
  });

  it('a failed snapshot write is reported, and the command still succeeds', async () => {
    const errors: string[] = [];
    const failing = new CommandExecutor({
      eventStore: store,
      snapshots: {
        load: async () => null,
        save: async () => Promise.reject(new Error('snapshot store down')),
      },
      onSnapshotError: (streamId, error) => void errors.push(`${streamId}: ${String(error)}`),
    });
    const organizationId = `org-snapfail-${Date.now()}`;
    await open(failing, organizationId);
    for (let i = 0; i < 3; i++) {
      await failing.execute<WalletState, WalletCommand, WalletEvent>({
        streamId: streams.wallet(organizationId),
        decider: walletDecider,
        context: { ...context },
        policy: SNAPSHOTS,
        command: (_state, metadata) => ({
          type: 'CreditWallet',
          data: { amount: 1n, source: 'staff_credit', reason: 'test' },
          metadata,
        }),
      });
    }
    await failing.flush();
    // Revisions 2 and 3 are each 3 or more past the (missing) snapshot: both tried, both reported.
    const reported = `${streams.wallet(organizationId)}: Error: snapshot store down`;
    expect(errors).toEqual([reported, reported]);
    expect(walletBalanceOf(await ledger(organizationId))).toBe(3n);
  });

  it('a lost race is retried from the state that won, not from the stale one', async () => {
    const organizationId = `org-race-${Date.now()}`;
    const other = new CommandExecutor({ eventStore: store });
    let conflicts = 0;
    let interfere = true;
    const racing: EventStore = Object.create(store);
    racing.appendToStream = async (streamId, events, options) => {
      if (interfere && events[0]?.type === 'WalletCredited') {
        interfere = false;
        await credit(other, organizationId, 100n); // another process gets in between our load and our append
      }
      try {
        return await store.appendToStream(streamId, events, options);
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) conflicts++;
        throw error;
      }
    };
    const mine = new CommandExecutor({ eventStore: racing });
    await open(mine, organizationId);
    const result = await credit(mine, organizationId, 1n);
    expect(conflicts).toBe(1);
    expect(result.events[0]).toMatchObject({
      type: 'WalletCredited',
      data: { amount: '0.000001', balanceAfter: '0.000101' },
    });
    expect(result.state).toMatchObject({ balance: 101n });
  });

  it('two processes hammering one stream lose nothing', async () => {
    const organizationId = `org-hammer-${Date.now()}`;
    const retry = { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50 };
    const a = new CommandExecutor({ eventStore: store, retry });
    const b = new CommandExecutor({ eventStore: store, retry });
    await open(a, organizationId);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => credit(i % 2 ? a : b, organizationId, BigInt(i + 1))),
    );
    expect(results.every((r) => r.events.length === 1)).toBe(true);
    const { state } = await a.load(streams.wallet(organizationId), walletDecider);
    expect(state).toMatchObject({ balance: 55n });
  });

  it('the causation chain runs through the commands of one context', async () => {
    const organizationId = `org-chain-${Date.now()}`;
    const ctx: CommandContext = { ...context, causationId: 'request-1' };
    const opened = await open(executor, organizationId);
    const first = await credit(executor, organizationId, 1n, ctx);
    const second = await credit(executor, organizationId, 2n, ctx);
    expect(opened.events).toHaveLength(1);
    expect(ctx.causationId).toBe(second.events[0].id);
    const recorded = await store.readStream(streams.wallet(organizationId));
    expect(recorded[1].metadata.causationId).toBe('request-1');
    expect(recorded[2].metadata.causationId).toBe(first.events[0].id);
    // No idempotency key: fresh ids, so the same credit twice is two credits.
    expect(first.events[0].id).not.toBe(second.events[0].id);
  });
});
