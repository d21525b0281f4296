import {
  postgresReplayCut,
  replayBilling,
} from '@stratus/api/dist/modules/admin-billing/shared/billing-replay';
import { PostgresEventStore } from '@stratus/eventstore';
import { Pool } from 'pg';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, timeIt, withPeakMemory } from './harness';

const SUITE = 'reconciliation';
const SERVERS = 1000;
const ORGANIZATIONS = 10;
const PAGE = 1000;
const HOUR_MS = 3_600_000;
const T0 = '2026-01-01T00:00:00.000Z';

const vpsId = (s: string) => `'00000000-0000-4000-9000-' || lpad((${s})::text, 12, '0')`;
const orgId = (o: string) => `'00000000-0000-4000-8000-' || lpad((${o})::text, 12, '0')`;
/** Canonical ISO of t0 + hours (what Date#toISOString prints, so charge ids match). */
const iso = (hours: string) =>
  `to_char((timestamptz '${T0}' + (${hours}) * interval '1 hour') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const metadata = (occurredAt: string) =>
  `jsonb_build_object('correlationId', 'bench', 'causationId', 'bench',
     'actor', jsonb_build_object('userId', 'system', 'role', 'system'), 'occurredAt', ${occurredAt}, 'schemaVersion', 1)`;

/**
 * Billing replay (the engine behind POST /api/admin/billing/reconciliations and billing:replay) over a history
 * of `charges` WalletCharged events for 1,000 servers in 10 organizations (each server: request, first hour,
 * activation, then one charge per hourly period), written straight into eventstore.events in bulk. Measures
 * events/s of the replay (readAll pages + the reconciliation) against a raw ordered SELECT scan of the same
 * rows with the same keyset pages, and the replay's peak memory.
 */
export async function reconciliationBench(options: { charges: number }): Promise<Figure[]> {
  const periods = Math.max(1, Math.floor(options.charges / SERVERS)); // charges per server, first hour included
  const charges = periods * SERVERS;
  const db = await createBenchDatabase('reconciliation');
  const pool = new Pool({ connectionString: db.url, max: 4 });
  try {
    await PostgresEventStore.migrate(pool);
    const fill = await timeIt(async () => {
      // Servers: requested at t0, first hour [t0, t0+1h) recorded, activated with billedUntil t0+1h.
      await pool.query(
        `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
         SELECT 'vps-' || ${vpsId('s')}, e.rev, gen_random_uuid(), e.type, e.data, ${metadata(iso('0'))}
         FROM generate_series(0, ${SERVERS - 1}) AS s,
         LATERAL (VALUES
           (0, 'VpsRequested', jsonb_build_object('vpsId', ${vpsId('s')}, 'organizationId', ${orgId(`s % ${ORGANIZATIONS}`)},
              'hourlyPrice', '1.000000', 'monthlyPrice', '730.000000', 'label', 'srv-' || s)),
           (1, 'VpsFirstHourCharged', jsonb_build_object('vpsId', ${vpsId('s')},
              'chargeId', 'vps-' || ${vpsId('s')} || ':' || ${iso('0')}, 'amount', '1.000000',
              'periodStart', ${iso('0')}, 'periodEnd', ${iso('1')})),
           (2, 'VpsActivated', jsonb_build_object('vpsId', ${vpsId('s')}, 'billedUntil', ${iso('1')}))
         ) AS e(rev, type, data)
         ORDER BY s, e.rev`,
      );
      await pool.query(
        `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
         SELECT 'wallet-' || ${orgId('o')}, r.rev, gen_random_uuid(), r.type, r.data, ${metadata(iso('0'))}
         FROM generate_series(0, ${ORGANIZATIONS - 1}) AS o,
         LATERAL (VALUES
           (0, 'WalletOpened', jsonb_build_object('walletId', ${orgId('o')}, 'organizationId', ${orgId('o')}, 'currency', 'USD')),
           (1, 'WalletCredited', jsonb_build_object('walletId', ${orgId('o')}, 'organizationId', ${orgId('o')},
              'amount', '${periods * (SERVERS / ORGANIZATIONS)}', 'balanceAfter', '${periods * (SERVERS / ORGANIZATIONS)}',
              'source', 'staff_credit', 'reason', 'bench'))
         ) AS r(rev, type, data)`,
      );
      // Charge g: server g % 1000 for period g / 1000 (period 0 = the first hour), due at its end, all servers
      // charged at each boundary as the billing workflows do. One transaction per 100,000 rows.
      const perOrg = SERVERS / ORGANIZATIONS;
      for (let done = 0; done < charges; done += 100_000) {
        const n = Math.min(100_000, charges - done);
        await pool.query(
          `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
           SELECT 'wallet-' || ${orgId(`(g % ${SERVERS}) % ${ORGANIZATIONS}`)},
             2 + (g / ${SERVERS}) * ${perOrg} + (g % ${SERVERS}) / ${ORGANIZATIONS}, gen_random_uuid(), 'WalletCharged',
             jsonb_build_object('walletId', ${orgId(`(g % ${SERVERS}) % ${ORGANIZATIONS}`)},
               'organizationId', ${orgId(`(g % ${SERVERS}) % ${ORGANIZATIONS}`)},
               'chargeId', 'vps-' || ${vpsId(`g % ${SERVERS}`)} || ':' || ${iso(`g / ${SERVERS}`)},
               'amount', '1.000000', 'balanceAfter', '0', 'description', 'bench',
               'subject', jsonb_build_object('vpsId', ${vpsId(`g % ${SERVERS}`)},
                 'periodStart', ${iso(`g / ${SERVERS}`)}, 'periodEnd', ${iso(`g / ${SERVERS} + 1`)})),
             ${metadata(iso(`g / ${SERVERS} + 1`))}
           FROM generate_series($1::bigint, $2::bigint) AS g ORDER BY g`,
          [done, done + n - 1],
        );
      }
      await pool.query('ANALYZE eventstore.events');
    });
    const total = Number((await pool.query('SELECT count(*)::bigint AS n FROM eventstore.events')).rows[0].n);
    console.log(
      `  wrote ${total.toLocaleString('en')} events (${charges.toLocaleString('en')} charges) in ${(fill.ms / 1000).toFixed(1)} s`,
    );

    // Baseline: the same rows in the same order and pages, no parsing into events, no reconciliation.
    const scan = await timeIt(async () => {
      let after: [string, string] = ['0', '0'];
      let rows = 0;
      for (;;) {
        const page = await pool.query({
          text: `SELECT position, transaction_id, stream_id, revision, event_id, type, data, metadata
                 FROM eventstore.events WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
                 ORDER BY transaction_id, position LIMIT ${PAGE}`,
          values: after,
          rowMode: 'array',
        });
        rows += page.rows.length;
        if (page.rows.length < PAGE) break;
        const last = page.rows[page.rows.length - 1] as unknown[];
        after = [String(last[1]), String(last[0])];
      }
      return rows;
    });
    if (scan.result !== total) throw new Error(`scan read ${scan.result} of ${total} rows`);

    const store = new PostgresEventStore({ pool, ownsPool: false });
    const window = {
      from: T0,
      to: new Date(Date.parse(T0) + (periods + 1) * HOUR_MS).toISOString(),
      organizationId: null,
      periodSeconds: 3600,
    };
    const replay = await withPeakMemory(() =>
      timeIt(() =>
        replayBilling(store, window, { pageSize: PAGE, cut: postgresReplayCut((sql) => pool.query(sql)) }),
      ),
    );
    const report = replay.result.result;
    if (report.eventsRead !== total) throw new Error(`replay read ${report.eventsRead} of ${total} events`);
    // The history is clean: every period charged once at its price.
    if (report.lines.length !== 0 || report.summary.chargedTotal !== report.summary.expectedTotal) {
      throw new Error(`unexpected reconciliation result: ${JSON.stringify(report.summary)}`);
    }
    if (report.summary.expectedTotal !== `${charges}.000000`) {
      throw new Error(`expected ${charges} charged, got ${report.summary.expectedTotal}`);
    }

    const scanRate = total / (scan.ms / 1000);
    const replayRate = total / (replay.result.ms / 1000);
    return [
      figure({
        suite: SUITE,
        name: `replay ${total.toLocaleString('en')} events (${SERVERS} servers)`,
        value: replayRate,
        unit: 'events/s',
        baselineName: 'raw ordered SELECT scan, same pages',
        baseline: scanRate,
        higherIsBetter: true,
        notes: `${(replay.result.ms / 1000).toFixed(1)} s vs ${(scan.ms / 1000).toFixed(1)} s`,
      }),
      figure({
        suite: SUITE,
        name: 'replay peak RSS',
        value: replay.peakRssMb,
        unit: 'MB',
        baselineName: 'peak heap used',
        baseline: replay.peakHeapMb,
        higherIsBetter: false,
        notes: `${charges.toLocaleString('en')} charge records kept for the window`,
      }),
    ];
  } finally {
    await pool.end();
    await db.drop();
  }
}
