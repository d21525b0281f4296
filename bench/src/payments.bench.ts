import 'reflect-metadata';
import { Pool } from 'pg';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  paymentDecider,
  streams,
  walletDecider,
  WALLET_STREAM_POLICY,
  type PaymentState,
} from '@stratus/domain';
import { CommandExecutor, PostgresEventStore, PostgresSnapshotStore } from '@stratus/eventstore';
import {
  createProjectionsOrm,
  migrateReadModels,
  ProjectionRunner,
  walletsProjection,
} from '@stratus/projections';
import { createApiApp } from '@stratus/api/dist/app.factory';
import { CommandContext } from '@stratus/api/dist/shared/request-context/command-context';
// ApiConfig.temporal is declared there.
import type {} from '@stratus/api/dist/shared/temporal/temporal.module';
import { PaymentSettlement } from '@stratus/infra';
import Stripe from 'stripe';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, percentile, runConcurrently, timeIt } from './harness';

const SUITE = 'payments';
const CONCURRENCY = 8;
const LIMITS = { min: 1_000_000n, max: 1_000_000_000n, daily: 1_000_000_000_000n };

/** Fisher–Yates with a seeded PRNG (mulberry32): the same shuffle every run. */
function shuffle<T>(items: T[], seed = 0x5eed): T[] {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** The API's Stripe endpoint secret in this bench (any whsec_ value: the bench signs with the same). */
const STRIPE_WEBHOOK_SECRET = 'whsec_payments_bench';
const stripe = new Stripe('sk_test_paymentsBench');

/** A `checkout.session.completed` event as Stripe delivers it for a paid Checkout Session of `cents`. */
function sessionCompleted(
  eventId: string,
  paymentId: string,
  sessionId: string,
  captureId: string,
  cents: number,
) {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: sessionId,
        object: 'checkout.session',
        client_reference_id: paymentId,
        metadata: { paymentId },
        payment_status: 'paid',
        status: 'complete',
        amount_total: cents,
        currency: 'usd',
        payment_intent: captureId,
      },
    },
  });
}

/** The API on a free loopback port over the bench's database (no Temporal: nothing to signal or start here). */
async function startApi(databaseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const app = await createApiApp(
    {
      nodeEnv: 'production',
      databaseUrl,
      eventStore: { kind: 'postgres' },
      jwt: {
        secret: randomUUID() + randomUUID(),
        issuer: 'stratus',
        audience: 'stratus-api',
        ttlSeconds: 3600,
      },
      http: { port: 0, host: '127.0.0.1', trustProxy: false },
      admin: {},
      temporal: null,
      vps: { secretsEncryptionKey: randomBytes(32).toString('base64') },
      payments: {
        stripe: {
          apiUrl: 'http://127.0.0.1:9',
          secretKey: 'sk_test_paymentsBench',
          webhookSecret: STRIPE_WEBHOOK_SECRET,
        },
      },
    },
    { logger: false, seedAdmin: false },
  );
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
}

/**
 * Webhook intake: `webhooks` signed Stripe `checkout.session.completed` deliveries (30% redeliveries of an event
 * id already in the batch, signed again as Stripe signs a redelivery), shuffled, POSTed `CONCURRENCY` at a time to
 * the API's /api/webhooks/stripe: the Stripe-Signature HMAC over the raw body checked by the official library, the
 * inbox's dedup by event id, the capture index, the capture, the credit. Afterwards the wallets must hold exactly
 * one credit per unique capture. Baseline: the same number of plain single-row INSERTs at the same concurrency on
 * the same database.
 */
export async function paymentsBench(options: { webhooks: number; samples: number }): Promise<Figure[]> {
  const db = await createBenchDatabase('payments');
  const pool = new Pool({ connectionString: db.url, max: CONCURRENCY + 2 });
  const orm = await createProjectionsOrm(db.url);
  let api: { url: string; close(): Promise<void> } | null = null;
  try {
    await PostgresEventStore.migrate(pool);
    await migrateReadModels(orm);
    const store = new PostgresEventStore({ pool });
    const executor = new CommandExecutor({ eventStore: store, snapshots: new PostgresSnapshotStore(pool) });
    const unique = Math.round(options.webhooks * 0.7);
    const organizations = Array.from({ length: 10 }, () => randomUUID());
    const context = () => CommandContext.system(randomUUID());

    // Payments initiated as the create route records them (the provider's order id is all a capture needs).
    const initiate = (
      paymentId: string,
      organizationId: string,
      amount: string,
      providerOrderId: string,
      provider: 'paypal' | 'stripe' = 'paypal',
    ) =>
      executor.execute({
        streamId: streams.payment(paymentId),
        decider: paymentDecider,
        context: context(),
        command: (_state, metadata) => ({
          type: 'InitiatePayment' as const,
          data: {
            paymentId,
            organizationId,
            provider,
            amount,
            limits: LIMITS,
            initiatedToday: 0n,
            providerOrderId,
            redirectUrl: 'https://checkout.test/pay',
          },
          metadata,
        }),
      });
    const payments = Array.from({ length: unique }, (_, i) => ({
      paymentId: randomUUID(),
      organizationId: organizations[i % organizations.length],
      sessionId: `cs_bench_${i}`,
      captureId: `pi_bench_${i}`,
      eventId: `evt_bench_${i}`,
    }));
    await runConcurrently(unique, CONCURRENCY, async (i) => {
      const { paymentId, organizationId, sessionId } = payments[i];
      await initiate(paymentId, organizationId, '20.00', sessionId, 'stripe');
    });

    api = await startApi(db.url);
    const webhookUrl = `${api.url}/api/webhooks/stripe`;
    const deliveries = shuffle([
      ...payments,
      ...Array.from({ length: options.webhooks - unique }, (_, i) => payments[(i * 7919) % unique]),
    ]);
    const outcomes = new Map<string, number>();
    const intake = await timeIt(() =>
      runConcurrently(deliveries.length, CONCURRENCY, async (i) => {
        const delivery = deliveries[i];
        const payload = sessionCompleted(
          delivery.eventId,
          delivery.paymentId,
          delivery.sessionId,
          delivery.captureId,
          2000,
        );
        const response = await fetch(webhookUrl, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            'Stripe-Signature': stripe.webhooks.generateTestHeaderString({
              payload,
              secret: STRIPE_WEBHOOK_SECRET,
            }),
          },
          body: payload,
        });
        const answer = (await response.json()) as { outcome?: string };
        if (response.status !== 200)
          throw new Error(`payments bench: webhook answered ${response.status} ${JSON.stringify(answer)}`);
        const outcome = answer.outcome ?? 'none';
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
    );
    await api.close();
    api = null;

    // Exactly one credit per unique capture, whatever arrived twice and in whatever order.
    let credits = 0;
    for (const organizationId of organizations) {
      const events = await store.readStream(streams.wallet(organizationId));
      credits += events.filter((e) => e.type === 'WalletCredited').length;
      const wallet = events.reduce(
        (s, e) => walletDecider.evolve(s, e as never),
        walletDecider.initialState(),
      );
      const expected =
        BigInt(payments.filter((p) => p.organizationId === organizationId).length) * 20_000_000n;
      if (wallet.status !== 'open' || wallet.balance !== expected) {
        throw new Error(`payments bench: organization ${organizationId} holds the wrong balance`);
      }
    }
    if (credits !== unique)
      throw new Error(`payments bench: ${credits} credits for ${unique} unique captures`);
    const settlement = new PaymentSettlement({ executor, providers: {} as never });

    await pool.query('CREATE TABLE bench_inserts (id text primary key, payload jsonb not null)');
    const inserts = await timeIt(() =>
      runConcurrently(deliveries.length, CONCURRENCY, async (i) => {
        await pool.query('INSERT INTO bench_inserts (id, payload) VALUES ($1, $2)', [
          `${i}`,
          JSON.stringify(deliveries[i]),
        ]);
      }),
    );

    // Capture → balance visible: from the capture's answer to the wallets read model showing the credit, beside
    // a staff credit's (the same wallet command without the payment stream), interleaved on one organization.
    const runner = new ProjectionRunner({
      orm,
      eventStore: store,
      projection: walletsProjection,
      batchSize: 200,
    });
    runner.start();
    const latency = { capture: [] as number[], staff: [] as number[] };
    try {
      const organizationId = organizations[0];
      let expected = BigInt(payments.filter((p) => p.organizationId === organizationId).length) * 20_000_000n;
      const visible = async () => {
        const deadline = Date.now() + 30_000;
        for (;;) {
          const { rows } = await pool.query(
            'select balance::text as balance from wallets where organization_id = $1',
            [organizationId],
          );
          if (rows[0] && BigInt(rows[0].balance) === expected) return;
          if (Date.now() > deadline) throw new Error('payments bench: the balance never became visible');
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      };
      await visible();
      for (let i = 0; i < options.samples; i++) {
        const paymentId = randomUUID();
        await initiate(paymentId, organizationId, '5.00', `order-latency-${i}`);
        const payment = (await settlement.load(paymentId)) as Exclude<PaymentState, { status: 'none' }>;
        const captured = await timeIt(async () => {
          await settlement.apply(
            payment,
            { status: 'captured', captureId: `CAP-latency-${i}`, amount: '5.00', currency: 'USD' },
            'return',
            context(),
          );
          expected += 5_000_000n;
          await visible();
        });
        latency.capture.push(captured.ms);
        const staff = await timeIt(async () => {
          await executor.execute({
            streamId: streams.wallet(organizationId),
            decider: walletDecider,
            context: context(),
            policy: WALLET_STREAM_POLICY,
            command: (_state, metadata) => ({
              type: 'CreditWallet' as const,
              data: { amount: 5_000_000n, source: 'staff_credit' as const, reason: 'bench' },
              metadata,
            }),
          });
          expected += 5_000_000n;
          await visible();
        });
        latency.staff.push(staff.ms);
      }
    } finally {
      await runner.stop();
    }
    await store.close();
    const perSecond = (count: number, ms: number) => (count * 1000) / ms;
    return [
      figure({
        suite: SUITE,
        name: `webhook intake over HTTP, ${deliveries.length.toLocaleString('en')} signed Stripe deliveries (30% redelivered, shuffled), ${CONCURRENCY} at once`,
        value: perSecond(deliveries.length, intake.ms),
        unit: 'webhooks/s',
        baselineName: 'plain single-row INSERT, same concurrency',
        baseline: perSecond(deliveries.length, inserts.ms),
        higherIsBetter: true,
        notes: `credits ${credits} = unique captures ${unique}; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}`,
      }),
      ...[50, 95].map((p) =>
        figure({
          suite: SUITE,
          name: `capture → balance visible in the wallets read model, p${p}`,
          value: percentile(latency.capture, p),
          unit: 'ms',
          baselineName: 'staff credit → balance visible',
          baseline: percentile(latency.staff, p),
          higherIsBetter: false,
          notes: `${options.samples} samples each, interleaved`,
        }),
      ),
    ];
  } finally {
    await api?.close().catch(() => undefined);
    await orm.close(true).catch(() => undefined);
    await pool.end().catch(() => undefined);
    await db.drop();
  }
}
