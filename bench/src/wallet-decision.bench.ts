import 'reflect-metadata';
import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { formatMoney, streams, walletDecider, WALLET_STREAM_POLICY } from '@stratus/domain';
import { CommandExecutor, NewEvent, PostgresEventStore, PostgresSnapshotStore } from '@stratus/eventstore';
import { CommandContext } from '@stratus/api/dist/shared/request-context/command-context';
import { walletIdOf } from '@stratus/infra';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, percentile } from './harness';

const SUITE = 'wallet-decision';

/** Appends `count` valid wallet events (opened, one big credit, then hourly charges) straight to the store. */
async function seedWallet(store: PostgresEventStore, organizationId: string, count: number) {
  const walletId = walletIdOf(organizationId);
  const meta = () => ({
    correlationId: randomUUID(),
    causationId: randomUUID(),
    actor: { userId: 'system', role: 'system' },
    occurredAt: new Date().toISOString(),
    schemaVersion: 1,
  });
  let balance = 1_000_000_000_000n; // $1,000,000
  const first: NewEvent[] = [
    {
      id: randomUUID(),
      type: 'WalletOpened',
      data: { walletId, organizationId, currency: 'USD' },
      metadata: meta(),
    },
    {
      id: randomUUID(),
      type: 'WalletCredited',
      data: {
        walletId,
        organizationId,
        amount: formatMoney(balance),
        balanceAfter: formatMoney(balance),
        source: 'staff_credit',
        reason: 'bench',
      },
      metadata: meta(),
    },
  ];
  let revision = (
    await store.appendToStream(streams.wallet(organizationId), first, { expectedRevision: 'no_stream' })
  ).nextExpectedRevision;
  const charge = 13_699n;
  for (let done = 2; done < count;) {
    const batch: NewEvent[] = [];
    for (let i = 0; i < 1000 && done < count; i++, done++) {
      balance -= charge;
      batch.push({
        id: randomUUID(),
        type: 'WalletCharged',
        data: {
          walletId,
          organizationId,
          chargeId: `seed-${done}`,
          amount: formatMoney(charge),
          balanceAfter: formatMoney(balance),
          description: 'seed',
        },
        metadata: meta(),
      });
    }
    revision = (
      await store.appendToStream(streams.wallet(organizationId), batch, { expectedRevision: revision })
    ).nextExpectedRevision;
  }
}

/** Latency of one charge command (load from snapshot + events since, decide, append) on a new vs a long wallet. */
export async function walletDecisionBench(options: {
  priorEvents: number;
  samples: number;
}): Promise<Figure[]> {
  const db = await createBenchDatabase('wallet');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    await PostgresEventStore.migrate(pool);
    const store = new PostgresEventStore({ pool });
    const executor = new CommandExecutor({ eventStore: store, snapshots: new PostgresSnapshotStore(pool) });
    const fresh = randomUUID();
    const long = randomUUID();
    await seedWallet(store, fresh, 2);
    await seedWallet(store, long, options.priorEvents);

    const charge = async (organizationId: string, i: number) => {
      const start = process.hrtime.bigint();
      await executor.execute({
        streamId: streams.wallet(organizationId),
        decider: walletDecider,
        context: CommandContext.system(randomUUID()),
        policy: WALLET_STREAM_POLICY,
        command: (_state, metadata) => ({
          type: 'ChargeWallet' as const,
          data: { chargeId: `bench-${i}`, amount: 13_699n, description: 'bench hour' },
          metadata,
        }),
      });
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    // The first command on the long wallet folds its whole history once and leaves a snapshot behind.
    const firstOnLong = await charge(long, -1);
    await executor.flush();
    // Interleaved, so both wallets see the same machine conditions.
    const freshSamples: number[] = [];
    const longSamples: number[] = [];
    for (let i = 0; i < options.samples; i++) {
      freshSamples.push(await charge(fresh, i));
      longSamples.push(await charge(long, i));
      await executor.flush();
    }
    await store.close();
    const label = options.priorEvents.toLocaleString('en');
    return [50, 95].map((p) =>
      figure({
        suite: SUITE,
        name: `charge decision p${p} with ${label} prior events`,
        value: percentile(longSamples, p),
        unit: 'ms',
        baselineName: 'same wallet command with 0 prior events',
        baseline: percentile(freshSamples, p),
        higherIsBetter: false,
        notes: `first command on the long wallet (no snapshot yet, folds everything): ${firstOnLong.toFixed(1)} ms`,
      }),
    );
  } finally {
    await pool.end().catch(() => undefined);
    await db.drop();
  }
}
