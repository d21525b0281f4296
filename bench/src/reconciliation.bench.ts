import { fork } from 'node:child_process';
import { join } from 'node:path';
import { replayOrganizationBilling } from '@stratus/domain';
import { PostgresEventStore } from '@stratus/eventstore';
import { postgresBillingDirectory } from '@stratus/projections';
import { Pool } from 'pg';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, percentile, timeIt } from './harness';
import type { ChildReplayResult } from './reconciliation-replay.child';

const SUITE = 'reconciliation';
const SERVERS = 1000;
const ORGANIZATIONS = 10;
const PAGE = 1000;
const HOUR_MS = 3_600_000;
/** V8 heap cap of the job's replay process (node --max-old-space-size). */
const JOB_HEAP_MB = 128;
/** The small organization (one server) whose run is timed inside the big history. */
const SMALL_ORG = ORGANIZATIONS;
const SMALL_SERVER = SERVERS;
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
 * Billing reconciliation over a history of `charges` WalletCharged events for 1,000 servers in 10 organizations
 * (each server: request, first hour, activation, then one charge per hourly period), plus one small organization
 * (one server, ~1,000 events), written straight into eventstore.events in bulk, with the read models the job's
 * directory reads (organizations, vps_servers). Measures, each replay in its own child process:
 * - the job's replay (organization by organization from their own streams) in events/s against a raw ordered
 *   SELECT scan of the same rows with the same keyset pages;
 * - its peak RSS against the replay as it ran inside the POST before (readAll through one BillingReplay);
 * - one run for the small organization against a run over the whole history.
 */
export async function reconciliationBench(options: { charges: number }): Promise<Figure[]> {
  const periods = Math.max(1, Math.floor(options.charges / SERVERS)); // charges per server, first hour included
  const charges = periods * SERVERS;
  // The small organization's server is charged every period too: periods + 3 server + 2 wallet events.
  const smallCharges = periods;
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
      // The small organization: one server, its wallet, smallCharges charges from the first hour on.
      await pool.query(
        `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
         SELECT 'vps-' || ${vpsId(String(SMALL_SERVER))}, e.rev, gen_random_uuid(), e.type, e.data, ${metadata(iso('0'))}
         FROM (VALUES
           (0, 'VpsRequested', jsonb_build_object('vpsId', ${vpsId(String(SMALL_SERVER))}, 'organizationId', ${orgId(String(SMALL_ORG))},
              'hourlyPrice', '1.000000', 'monthlyPrice', '730.000000', 'label', 'small')),
           (1, 'VpsFirstHourCharged', jsonb_build_object('vpsId', ${vpsId(String(SMALL_SERVER))},
              'chargeId', 'vps-' || ${vpsId(String(SMALL_SERVER))} || ':' || ${iso('0')}, 'amount', '1.000000',
              'periodStart', ${iso('0')}, 'periodEnd', ${iso('1')})),
           (2, 'VpsActivated', jsonb_build_object('vpsId', ${vpsId(String(SMALL_SERVER))}, 'billedUntil', ${iso('1')}))
         ) AS e(rev, type, data)`,
      );
      await pool.query(
        `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
         SELECT 'wallet-' || ${orgId(String(SMALL_ORG))}, r.rev, gen_random_uuid(), r.type, r.data, ${metadata(iso('0'))}
         FROM (VALUES
           (0, 'WalletOpened', jsonb_build_object('walletId', ${orgId(String(SMALL_ORG))}, 'organizationId', ${orgId(String(SMALL_ORG))}, 'currency', 'USD')),
           (1, 'WalletCredited', jsonb_build_object('walletId', ${orgId(String(SMALL_ORG))}, 'organizationId', ${orgId(String(SMALL_ORG))},
              'amount', '${smallCharges}', 'balanceAfter', '${smallCharges}', 'source', 'staff_credit', 'reason', 'bench'))
         ) AS r(rev, type, data)`,
      );
      await pool.query(
        `INSERT INTO eventstore.events (stream_id, revision, event_id, type, data, metadata)
         SELECT 'wallet-' || ${orgId(String(SMALL_ORG))}, 2 + p, gen_random_uuid(), 'WalletCharged',
           jsonb_build_object('walletId', ${orgId(String(SMALL_ORG))}, 'organizationId', ${orgId(String(SMALL_ORG))},
             'chargeId', 'vps-' || ${vpsId(String(SMALL_SERVER))} || ':' || ${iso('p')},
             'amount', '1.000000', 'balanceAfter', '0', 'description', 'bench',
             'subject', jsonb_build_object('vpsId', ${vpsId(String(SMALL_SERVER))},
               'periodStart', ${iso('p')}, 'periodEnd', ${iso('p + 1')})),
           ${metadata(iso('p + 1'))}
         FROM generate_series(0, ${smallCharges - 1}) AS p ORDER BY p`,
      );
      // The read models the job's directory reads (as the projections would have them).
      await pool.query(`CREATE TABLE organizations (id text PRIMARY KEY);
        CREATE TABLE vps_servers (id text PRIMARY KEY, organization_id text NOT NULL);
        CREATE INDEX ON vps_servers (organization_id)`);
      await pool.query(
        `INSERT INTO organizations SELECT ${orgId('o')} FROM generate_series(0, ${SMALL_ORG}) AS o`,
      );
      await pool.query(
        `INSERT INTO vps_servers SELECT ${vpsId('s')}, ${orgId(`s % ${ORGANIZATIONS}`)} FROM generate_series(0, ${SERVERS - 1}) AS s
         UNION ALL SELECT ${vpsId(String(SMALL_SERVER))}, ${orgId(String(SMALL_ORG))}`,
      );
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

    const window = {
      from: T0,
      to: new Date(Date.parse(T0) + (periods + 1) * HOUR_MS).toISOString(),
      periodSeconds: 3600,
    };
    const expectedTotal = `${charges + smallCharges}.000000`;
    const check = (label: string, run: ChildReplayResult) => {
      // The history is clean: every period charged once at its price.
      if (run.lines !== 0 || run.summary.expectedTotal !== expectedTotal) {
        throw new Error(`${label}: unexpected reconciliation result ${JSON.stringify(run.summary)}`);
      }
    };
    const streamed = await replayInChild('streams', db.url, window);
    check('streams', streamed);
    const inMemory = await replayInChild('in-memory', db.url, window);
    check('in-memory', inMemory);
    if (inMemory.eventsRead !== total)
      throw new Error(`replay read ${inMemory.eventsRead} of ${total} events`);

    // One organization's run, as the job does it: its servers from the directory, then its own streams.
    const store = new PostgresEventStore({ pool, ownsPool: false });
    const directory = postgresBillingDirectory((text, values) => pool.query(text, values));
    const small = (await pool.query(`SELECT ${orgId(String(SMALL_ORG))} AS id`)).rows[0].id as string;
    const samples: number[] = [];
    let smallEvents = 0;
    for (let i = 0; i < 5; i++) {
      const run = await timeIt(async () =>
        replayOrganizationBilling(
          store,
          { ...window, organizationId: small },
          { servers: await directory.serversOf(small) },
        ),
      );
      if (run.result.lines.length !== 0 || run.result.summary.expectedTotal !== `${smallCharges}.000000`) {
        throw new Error(`small organization: unexpected result ${JSON.stringify(run.result.summary)}`);
      }
      smallEvents = run.result.eventsRead;
      samples.push(run.ms);
    }
    const smallMs = percentile(samples, 50);

    const scanRate = total / (scan.ms / 1000);
    const streamedRate = total / (streamed.ms / 1000);
    return [
      figure({
        suite: SUITE,
        name: `reconciliation job replay, ${total.toLocaleString('en')} events (${SERVERS + 1} servers, ${ORGANIZATIONS + 1} organizations)`,
        value: streamedRate,
        unit: 'events/s',
        baselineName: 'raw ordered SELECT scan, same pages',
        baseline: scanRate,
        higherIsBetter: true,
        notes: `${(streamed.ms / 1000).toFixed(1)} s vs ${(scan.ms / 1000).toFixed(1)} s; read ${streamed.eventsRead.toLocaleString('en')} events`,
      }),
      figure({
        suite: SUITE,
        name: `reconciliation job peak RSS, ${charges.toLocaleString('en')} charges (child process, ${JOB_HEAP_MB} MB heap cap)`,
        value: streamed.peakRssMb,
        unit: 'MB',
        baselineName: 'in-memory replay (readAll, before), no heap cap',
        baseline: inMemory.peakRssMb,
        higherIsBetter: false,
        notes: `--max-old-space-size=${JOB_HEAP_MB}; peak heap ${streamed.peakHeapMb.toFixed(0)} MB vs ${inMemory.peakHeapMb.toFixed(0)} MB; before took ${(inMemory.ms / 1000).toFixed(1)} s`,
      }),
      figure({
        suite: SUITE,
        name: `one organization's run (${smallEvents.toLocaleString('en')} events) in ${total.toLocaleString('en')} events, p50 of 5`,
        value: smallMs,
        unit: 'ms',
        baselineName: 'run over the whole history',
        baseline: streamed.ms,
        higherIsBetter: false,
      }),
    ];
  } finally {
    await pool.end();
    await db.drop();
  }
}

/** Runs one replay in a child process (its own heap and RSS) and returns what it measured. */
function replayInChild(
  mode: 'streams' | 'in-memory',
  url: string,
  window: { from: string; to: string; periodSeconds: number },
): Promise<ChildReplayResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'reconciliation-replay.child.js'), [mode], {
      // The job's live set is one organization's charge records: it runs in a small heap, where V8 collects
      // early instead of growing (the in-memory replay holds every charge of the window and cannot).
      execArgv: mode === 'streams' ? [`--max-old-space-size=${JOB_HEAP_MB}`] : [],
      env: { ...process.env, BENCH_DATABASE_URL_CHILD: url, BENCH_WINDOW: JSON.stringify(window) },
    });
    let result: ChildReplayResult | null = null;
    child.on('message', (message) => (result = message as ChildReplayResult));
    child.on('error', reject);
    child.on('exit', (code) =>
      result ? resolve(result) : reject(new Error(`${mode} replay exited with ${code} and no result`)),
    );
  });
}
