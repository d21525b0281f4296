import type { Pool } from 'pg';
import {
  streams,
  walletBalanceOf,
  walletDecider,
  walletStateFromSnapshot,
  walletStateToSnapshot,
  WALLET_SNAPSHOT_SCHEMA_VERSION,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import { createTestDatabase, type TestDatabase, testPool } from '@stratus/infra/testing';
import {
  CommandExecutor,
  deterministicEventId,
  type CommandContext,
  type CommandSnapshotPolicy,
} from './command-executor';
import { PostgresEventStore } from './postgres-event-store';
import { PostgresSnapshotStore } from './postgres-snapshot-store';

const context: CommandContext = {
  actor: { userId: 'system', role: 'system' },
  correlationId: 'test',
  causationId: 'test',
};
const SNAPSHOTS: CommandSnapshotPolicy<WalletState> = {
  every: 3,
  schemaVersion: WALLET_SNAPSHOT_SCHEMA_VERSION,
  toSnapshot: walletStateToSnapshot,
  fromSnapshot: walletStateFromSnapshot,
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
      snapshots: snapshots ? SNAPSHOTS : undefined,
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
    const snapshot = await new PostgresSnapshotStore(pool).load(streams.wallet(organizationId));
    expect(snapshot!.revision).toBeGreaterThan(2n); // the first charge is folded into it
    const again = await charge(organizationId, 'c-3', 1_000_000n, true);
    expect(again.alreadyApplied).toBe(true);
    const events = await ledger(organizationId);
    expect(events.filter((e) => e.type === 'WalletCharged')).toHaveLength(6);
    expect(walletBalanceOf(events)).toBe(94_000_000n);
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
});
