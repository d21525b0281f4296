import { Pool } from 'pg';
import { PostgresEventStore } from '@stratus/eventstore';
import { createProjectionsOrm, migrateReadModels, rebuildProjection } from '@stratus/projections';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, timeIt } from './harness';

const SUITE = 'projection-rebuild';

/**
 * Rebuild rate of the wallet-transactions read model vs a hand-written minimal projection on the same
 * server: raw ordered SELECT pages of the events and one multi-row INSERT per page, no framework.
 */
export async function projectionRebuildBench(options: {
  events: number;
  batchSize: number;
}): Promise<Figure[]> {
  const db = await createBenchDatabase('proj');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  const orm = await createProjectionsOrm(db.url);
  try {
    await PostgresEventStore.migrate(pool);
    await migrateReadModels(orm);
    // 1,000 wallets charged in turn, seeded server-side in transactions of 10,000 events.
    for (let done = 0; done < options.events; done += 10_000) {
      const n = Math.min(10_000, options.events - done);
      await pool.query(
        `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
         SELECT 'wallet-' || lpad((g % 1000)::text, 12, '0'), g / 1000, gen_random_uuid(), 'WalletCharged',
                jsonb_build_object('walletId', 'w-' || (g % 1000), 'organizationId', '00000000-0000-0000-0000-' || lpad((g % 1000)::text, 12, '0'),
                  'chargeId', 'c-' || g, 'amount', '0.013699', 'balanceAfter', to_char(1000000 - g * 0.013699, 'FM9999999990.000000'),
                  'description', 'hourly charge'),
                jsonb_build_object('correlationId', gen_random_uuid(), 'causationId', gen_random_uuid(),
                  'actor', jsonb_build_object('userId', 'system', 'role', 'system'), 'occurredAt', now(), 'schemaVersion', 1)
         FROM generate_series($1::bigint, $2::bigint) AS g`,
        [done, done + n - 1],
      );
    }
    await pool.query('ANALYZE eventstore.events');
    const store = new PostgresEventStore({ pool });

    await pool.query(`CREATE TABLE plain_wallet_transactions (LIKE wallet_transactions INCLUDING ALL)`);
    const raw = await timeIt(async () => {
      let last = '0';
      let written = 0;
      for (;;) {
        const { rows } = await pool.query(
          `SELECT position, transaction_id, event_id, data, metadata FROM eventstore.events
           WHERE position > $1 ORDER BY position LIMIT ${options.batchSize}`,
          [last],
        );
        if (rows.length === 0) break;
        const values: string[] = [];
        const params: unknown[] = [];
        for (const row of rows) {
          const base = params.length;
          values.push(`(${Array.from({ length: 12 }, (_, i) => `$${base + i + 1}`).join(',')})`);
          params.push(
            row.event_id,
            row.data.organizationId,
            'WalletCharged',
            '-13699',
            BigInt(String(row.data.balanceAfter).replace('.', '')).toString(),
            row.data.description,
            row.data.chargeId,
            row.metadata.actor.userId,
            row.metadata.occurredAt,
            row.transaction_id,
            row.position,
            null,
          );
        }
        await pool.query('BEGIN');
        await pool.query(
          `INSERT INTO plain_wallet_transactions (id, organization_id, type, amount, balance_after, description, charge_id,
             actor_user_id, occurred_at, position_commit, position_prepare, reference) VALUES ${values.join(',')}`,
          params,
        );
        await pool.query('COMMIT');
        written += rows.length;
        last = rows[rows.length - 1].position;
      }
      return written;
    });
    const rebuilt = await timeIt(() =>
      rebuildProjection(orm, store, 'wallet-transactions', { batchSize: options.batchSize }),
    );
    const { rows } = await pool.query('SELECT count(*)::int AS n FROM wallet_transactions');
    if (rows[0].n !== options.events)
      throw new Error(`rebuild wrote ${rows[0].n} rows, expected ${options.events}`);
    await store.close();
    return [
      figure({
        suite: SUITE,
        name: `wallet-transactions rebuild of ${options.events.toLocaleString('en')} events (batch ${options.batchSize})`,
        value: options.events / (rebuilt.ms / 1000),
        unit: 'events/s',
        baselineName: 'raw SELECT pages + multi-row INSERT',
        baseline: raw.result / (raw.ms / 1000),
        higherIsBetter: true,
      }),
    ];
  } finally {
    await orm.close(true).catch(() => undefined);
    await pool.end().catch(() => undefined);
    await db.drop();
  }
}
