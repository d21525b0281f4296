import { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { NewEvent, PostgresEventStore } from '@stratus/eventstore';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, runConcurrently, timeIt } from './harness';

const SUITE = 'eventstore';

const metadata = () => ({
  correlationId: randomUUID(),
  causationId: randomUUID(),
  actor: { userId: randomUUID(), role: 'customer', ip: '127.0.0.1', userAgent: 'bench' },
  occurredAt: new Date().toISOString(),
  schemaVersion: 1,
});
const newEvent = (i: number): NewEvent => ({
  id: randomUUID(),
  type: 'WalletCharged',
  data: {
    walletId: 'w',
    organizationId: 'o',
    chargeId: `c-${i}`,
    amount: '0.013699',
    balanceAfter: '10.000000',
    description: 'bench',
  },
  metadata: metadata(),
});

const PLAIN_TABLE = `CREATE TABLE bench_plain (
  id bigserial PRIMARY KEY, stream_id text NOT NULL, event_id uuid NOT NULL, type text NOT NULL,
  data jsonb NOT NULL, metadata jsonb NOT NULL)`;

/** Append rates vs plain INSERTs on the same server, and the subscription read rate vs a raw ordered scan. */
export async function eventStoreBench(options: { events: number }): Promise<Figure[]> {
  const db = await createBenchDatabase('es');
  const pool = new Pool({ connectionString: db.url, max: 17 });
  const figures: Figure[] = [];
  try {
    await PostgresEventStore.migrate(pool);
    await pool.query(PLAIN_TABLE);
    const store = new PostgresEventStore({ pool });

    const plainInsert = (writers: number, i: number) => {
      const e = newEvent(i);
      return pool.query(
        'INSERT INTO bench_plain (stream_id, event_id, type, data, metadata) VALUES ($1,$2,$3,$4,$5)',
        [`s-${writers}-${i % 200}`, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata)],
      );
    };
    const singleAppend = (writers: number, i: number) =>
      store.appendToStream(`single${writers}-${i % 200}`, [newEvent(i)], { expectedRevision: 'any' });
    // Warm both paths (connections, plans, caches) before either is timed.
    await runConcurrently(400, 16, async (i) => {
      await plainInsert(0, i);
      await singleAppend(0, i);
    });
    for (const writers of [1, 16]) {
      const total = writers === 1 ? 2000 : 8000;
      const plain = await timeIt(() =>
        runConcurrently(total, writers, async (i) => {
          await plainInsert(writers, i);
        }),
      );
      const append = await timeIt(() =>
        runConcurrently(total, writers, async (i) => {
          await singleAppend(writers, i);
        }),
      );
      figures.push(
        figure({
          suite: SUITE,
          name: `single-event append, ${writers} writer${writers > 1 ? 's' : ''}`,
          value: total / (append.ms / 1000),
          unit: 'events/s',
          baselineName: 'INSERT+COMMIT',
          baseline: total / (plain.ms / 1000),
          higherIsBetter: true,
        }),
      );
    }

    {
      const batches = 200;
      const plain = await timeIt(async () => {
        for (let b = 0; b < batches; b++) {
          const events = Array.from({ length: 100 }, (_, i) => newEvent(i));
          const client = await pool.connect();
          try {
            await client.query('BEGIN');
            const values: string[] = [];
            const params: unknown[] = [];
            events.forEach((e, i) => {
              values.push(`($${i * 5 + 1},$${i * 5 + 2},$${i * 5 + 3},$${i * 5 + 4},$${i * 5 + 5})`);
              params.push(`batch-${b}`, e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
            });
            await client.query(
              `INSERT INTO bench_plain (stream_id, event_id, type, data, metadata) VALUES ${values.join(',')}`,
              params,
            );
            await client.query('COMMIT');
          } finally {
            client.release();
          }
        }
      });
      const append = await timeIt(async () => {
        for (let b = 0; b < batches; b++) {
          const events = Array.from({ length: 100 }, (_, i) => newEvent(i));
          await store.appendToStream(`batch-${b}`, events, { expectedRevision: 'no_stream' });
        }
      });
      figures.push(
        figure({
          suite: SUITE,
          name: '100-event batch append',
          value: (batches * 100) / (append.ms / 1000),
          unit: 'events/s',
          baselineName: '100-row multi-insert tx',
          baseline: (batches * 100) / (plain.ms / 1000),
          higherIsBetter: true,
        }),
      );
    }

    {
      // Seed the history in transactions of 10,000 events (server-side, to keep the seeding itself short).
      await pool.query('TRUNCATE eventstore.events, eventstore.streams');
      const perTx = 10_000;
      for (let done = 0; done < options.events; done += perTx) {
        const n = Math.min(perTx, options.events - done);
        await pool.query(
          `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
           SELECT 'wallet-' || (g % 1000), (g / 1000), gen_random_uuid(), 'WalletCharged',
                  jsonb_build_object('walletId', 'w', 'chargeId', 'c-' || g, 'amount', '0.013699', 'balanceAfter', '10.000000'),
                  jsonb_build_object('correlationId', gen_random_uuid(), 'causationId', gen_random_uuid(),
                    'actor', jsonb_build_object('userId', 'system', 'role', 'system'), 'occurredAt', now(), 'schemaVersion', 1)
           FROM generate_series($1::bigint, $2::bigint) AS g`,
          [done, done + n - 1],
        );
      }
      await pool.query('ANALYZE eventstore.events');
      const page = 1000;
      const raw = await timeIt(async () => {
        let last = '0';
        let seen = 0;
        for (;;) {
          const { rows } = await pool.query({
            text: `SELECT position, transaction_id, stream_id, revision, event_id, type, data, metadata
                   FROM eventstore.events WHERE position > $1 ORDER BY position LIMIT ${page}`,
            values: [last],
            rowMode: 'array',
          });
          if (rows.length === 0) break;
          seen += rows.length;
          last = rows[rows.length - 1][0];
        }
        return seen;
      });
      const subscribed = await timeIt(async () => {
        const subscription = store.subscribeToAll({ batchSize: page });
        let seen = 0;
        while (seen < options.events) seen += (await subscription.nextBatch(page)).length;
        await subscription.close();
        return seen;
      });
      figures.push(
        figure({
          suite: SUITE,
          name: `subscription catch-up read of ${options.events.toLocaleString('en')} events (no-op handler)`,
          value: subscribed.result / (subscribed.ms / 1000),
          unit: 'events/s',
          baselineName: 'raw ordered SELECT scan',
          baseline: raw.result / (raw.ms / 1000),
          higherIsBetter: true,
        }),
      );
    }
    await store.close();
  } finally {
    await pool.end().catch(() => undefined);
    await db.drop();
  }
  return figures;
}
