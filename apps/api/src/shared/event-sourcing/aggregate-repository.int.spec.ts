import type { Pool } from 'pg';
import { streams, walletDecider, walletStateToSnapshot } from '@stratus/domain';
import {
  createEventStore,
  PostgresSnapshotStore,
  WrongExpectedRevisionError,
  type EventStore,
} from '@stratus/eventstore';
import { createTestDatabase, type TestDatabase, testPool } from '@stratus/infra/testing';
import { WALLET_SNAPSHOTS } from '../../modules/wallet/shared/wallet-stream';
import { CommandContext } from '../request-context/command-context';
import { AggregateRepository } from './aggregate-repository';

let db: TestDatabase;
let eventStore: EventStore;
let pool: Pool;
let snapshots: PostgresSnapshotStore;
const orgId = '11111111-1111-4111-8111-111111111111';
const clock = { now: () => new Date('2026-01-01T00:00:00.000Z') };

beforeAll(async () => {
  db = await createTestDatabase('stratus_api_repo');
  eventStore = await createEventStore({ kind: 'postgres', databaseUrl: db.url });
  pool = testPool(db.url, 2);
  snapshots = new PostgresSnapshotStore(pool);
});
afterAll(async () => {
  await eventStore?.close();
  await pool?.end();
  await db?.drop();
});

const context = () => CommandContext.system('test-correlation');
const open = (repository: AggregateRepository, id: string) =>
  repository.execute({
    streamId: streams.wallet(id),
    decider: walletDecider,
    context: context(),
    snapshots: WALLET_SNAPSHOTS,
    command: (_s, metadata) => ({
      type: 'OpenWallet' as const,
      data: { walletId: `w-${id}`, organizationId: id },
      metadata,
    }),
  });
const credit = (repository: AggregateRepository, id: string, amount: bigint) =>
  repository.execute({
    streamId: streams.wallet(id),
    decider: walletDecider,
    context: context(),
    snapshots: WALLET_SNAPSHOTS,
    command: (_s, metadata) => ({
      type: 'CreditWallet' as const,
      data: { amount, source: 'staff_credit' as const, reason: 'test' },
      metadata,
    }),
  });

test('wallets take a snapshot every 200 events, off the command path, and load from it', async () => {
  const repository = new AggregateRepository(eventStore, snapshots, clock);
  await open(repository, orgId);
  for (let i = 0; i < 205; i++) await credit(repository, orgId, 1_000_000n);
  await repository.flush();
  const stored = await snapshots.load(streams.wallet(orgId));
  expect(stored).not.toBeNull();
  expect(stored!.revision).toBeGreaterThanOrEqual(199n);
  const loaded = await repository.load(streams.wallet(orgId), walletDecider, WALLET_SNAPSHOTS);
  expect(loaded.snapshotRevision).toBe(stored!.revision);
  expect(loaded.events.length).toBe(Number(205n - stored!.revision));
  expect(loaded.revision).toBe(205n);
  // Same state as folding every event from the start.
  const full = await repository.load(streams.wallet(orgId), walletDecider);
  expect(walletStateToSnapshot(loaded.state)).toEqual(walletStateToSnapshot(full.state));
  expect(full.state).toMatchObject({ status: 'open', balance: 205_000_000n });
  // Metadata carries the clock reading of the API and the actor.
  const [first] = await eventStore.readStream(streams.wallet(orgId), { maxCount: 1 });
  expect(first.metadata).toMatchObject({
    occurredAt: '2026-01-01T00:00:00.000Z',
    actor: { role: 'system' },
    schemaVersion: 1,
  });
});

test('a lost race is retried from the state that won, not from the stale one', async () => {
  const id = '22222222-2222-4222-8222-222222222222';
  const other = new AggregateRepository(eventStore, null, clock);
  let conflicts = 0;
  let interfere = true;
  const racing: EventStore = Object.create(eventStore);
  racing.appendToStream = async (streamId, events, options) => {
    if (interfere && events[0]?.type === 'WalletCredited') {
      interfere = false;
      await credit(other, id, 100n); // another API instance gets in between our load and our append
    }
    try {
      return await eventStore.appendToStream(streamId, events, options);
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) conflicts++;
      throw error;
    }
  };
  const repository = new AggregateRepository(racing, null, clock);
  await open(repository, id);
  const result = await credit(repository, id, 1n);
  expect(conflicts).toBe(1);
  expect(result.events[0]).toMatchObject({
    type: 'WalletCredited',
    data: { amount: '0.000001', balanceAfter: '0.000101' },
  });
  const { state } = await repository.load(streams.wallet(id), walletDecider);
  expect(state).toMatchObject({ balance: 101n });
});

test('two writers hammering one stream lose nothing', async () => {
  const id = '33333333-3333-4333-8333-333333333333';
  const policy = { maxAttempts: 10, baseDelayMs: 5, maxDelayMs: 50 };
  const a = new AggregateRepository(eventStore, null, clock, policy);
  const b = new AggregateRepository(eventStore, null, clock, policy);
  await open(a, id);
  const results = await Promise.all(
    Array.from({ length: 10 }, (_, i) => credit(i % 2 ? a : b, id, BigInt(i + 1))),
  );
  expect(results.every((r) => r.events.length === 1)).toBe(true);
  const { state } = await a.load(streams.wallet(id), walletDecider);
  expect(state).toMatchObject({ balance: 55n });
});
