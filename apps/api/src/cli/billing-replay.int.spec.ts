import type { Pool } from 'pg';
/** The billing:replay CLI run in-process over a real PostgreSQL event store holding seeded billing histories. */
import { Writable } from 'node:stream';
import { streams, transferMonthsEndingIn } from '@stratus/domain';
import { PostgresEventStore } from '@stratus/eventstore';
import { createTestDatabase, type TestDatabase, testPool } from '@stratus/infra/testing';
import { v4 as uuidv4 } from 'uuid';
import {
  seedBillingScenario,
  type SeededScenario,
} from '../modules/admin-billing/testing/billing-history.fixture';
import { billingReplay, BILLING_REPLAY_USAGE } from './billing-replay';

jest.setTimeout(120_000);

let db: TestDatabase;
let pool: Pool;
let store: PostgresEventStore;
let scenario: SeededScenario;
// The faulty organization sorts first: its lines are printed before the clean one is read.
const [faultyOrg, cleanOrg] = [uuidv4(), uuidv4()].sort();

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function run(argv: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: db.url }) {
  const stdout = capture();
  const stderr = capture();
  const code = await billingReplay(argv, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

beforeAll(async () => {
  db = await createTestDatabase('stratus_billing_replay');
  pool = testPool(db.url, 2);
  await PostgresEventStore.migrate(pool);
  store = new PostgresEventStore({ pool, ownsPool: false });
  scenario = await seedBillingScenario(store, cleanOrg, faultyOrg, Date.parse('2026-10-01T00:00:00.000Z'));
  // The read models listing organizations, their servers and payments (the API migrates them where it shares the database).
  await pool.query(`create table organizations (id text primary key);
    create table vps_servers (id text primary key, organization_id text not null);
    create table payments (payment_id text primary key, organization_id text not null)`);
  await pool.query('insert into organizations values ($1), ($2)', [faultyOrg, cleanOrg]);
  await pool.query('insert into vps_servers values ($1, $2), ($3, $4), ($5, $4)', [
    scenario.cleanVpsId,
    cleanOrg,
    scenario.faultyVpsId,
    faultyOrg,
    scenario.refundVpsId,
  ]);
});
afterAll(async () => {
  await store?.close();
  await pool?.end();
  await db?.drop();
});

describe('npm run billing:replay', () => {
  test('--json: the same report as the API, every injected error classified, nothing stored', async () => {
    const before = (await pool.query('select count(*)::int as n from eventstore.events')).rows[0].n;
    const result = await run(['--from', scenario.from, '--to', scenario.to, '--json']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout);
    expect(report.lines.map((l: { kind: string; chargeId: string }) => [l.kind, l.chargeId])).toEqual(
      scenario.expected,
    );
    expect(report.summary).toMatchObject({ servers: 3, lines: 7, unpaid: 1 });
    expect((await pool.query('select count(*)::int as n from eventstore.events')).rows[0].n).toBe(before);
  });

  test('the table: summary, then one row per line; a clean organization prints "No discrepancies."', async () => {
    const faulty = await run([`--from=${scenario.from}`, `--to=${scenario.to}`, '--organization', faultyOrg]);
    expect(faulty.code).toBe(0);
    expect(faulty.stdout).toContain(`(organization ${faultyOrg})`);
    expect(faulty.stdout).toMatch(/Discrepancies: 6 {2}missing_charge: 1/);
    expect(faulty.stdout).toContain('Unpaid periods (not billing errors): 1');
    const rows = faulty.stdout
      .split('\n')
      .filter((l) => /^(missing|duplicate|wrong|charge|refund|unpaid)/.test(l));
    expect(rows).toHaveLength(7);
    expect(rows.at(-1)).toMatch(/^unpaid /);

    const clean = await run(['--from', scenario.from, '--to', scenario.to, '--organization', cleanOrg]);
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('No discrepancies.');
    expect(clean.stdout).toContain('expected: 6.500000   charged: 6.500000');
  });

  test('streams: organization by organization from their own streams (no whole-history read), lines printed as each is replayed', async () => {
    const trace: string[] = [];
    const readAll = jest.spyOn(PostgresEventStore.prototype, 'readAll');
    const original = PostgresEventStore.prototype.readStream;
    const readStream = jest.spyOn(PostgresEventStore.prototype, 'readStream').mockImplementation(function (
      this: PostgresEventStore,
      streamId,
      options,
    ) {
      trace.push(`read ${streamId}`);
      return original.call(this, streamId, options);
    });
    try {
      const stdout = new Writable({
        write(chunk: Buffer, _enc, done) {
          if (chunk.toString().includes(scenario.faultyVpsId)) trace.push('print faulty lines');
          done();
        },
      });
      const code = await billingReplay(['--from', scenario.from, '--to', scenario.to], {
        stdout,
        stderr: capture().stream,
        env: { DATABASE_URL: db.url },
      });
      expect(code).toBe(0);
      expect(readAll).not.toHaveBeenCalled();
      const months = transferMonthsEndingIn(Date.parse(scenario.from), Date.parse(scenario.to));
      const transferStreams = [
        ...(months.length > 0 ? [streams.transferPrice()] : []),
        ...[scenario.faultyVpsId, scenario.refundVpsId, scenario.cleanVpsId].flatMap((vpsId) =>
          months.map((month) => streams.transfer(vpsId, month)),
        ),
      ];
      const streamsRead = new Set(trace.filter((t) => t.startsWith('read ')).map((t) => t.slice(5)));
      expect([...streamsRead].sort()).toEqual(
        [
          `wallet-${faultyOrg}`,
          `wallet-${cleanOrg}`,
          `organizationpayments-${faultyOrg}`,
          `organizationpayments-${cleanOrg}`,
          `vps-${scenario.faultyVpsId}`,
          `vps-${scenario.refundVpsId}`,
          `vps-${scenario.cleanVpsId}`,
          // The transfer months ending in the window: each charged server's measurements, and the price.
          ...transferStreams,
        ].sort(),
      );
      const printed = trace.indexOf('print faulty lines');
      expect(printed).toBeGreaterThan(-1);
      expect(printed).toBeLessThan(trace.indexOf(`read wallet-${cleanOrg}`));
    } finally {
      readAll.mockRestore();
      readStream.mockRestore();
    }
  });

  test('no read models to list the organizations: one clear line, exit 1', async () => {
    const bare = await createTestDatabase('stratus_billing_replay_bare');
    const barePool = testPool(bare.url, 1);
    try {
      await PostgresEventStore.migrate(barePool);
      const result = await run(['--from', scenario.from, '--to', scenario.to], { DATABASE_URL: bare.url });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /^billing:replay: the database has no read models \(organizations, vps_servers, payments\)/,
      );
    } finally {
      await barePool.end();
      await bare.drop();
    }
  });

  test('--help prints the usage', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: BILLING_REPLAY_USAGE, stderr: '' });
  });

  test.each([
    [[], '--from is required'],
    [['--from', '2026-10-01T00:00:00Z'], '--to is required'],
    [['--from', 'yesterday', '--to', '2026-10-02T00:00:00Z'], '--from must be an ISO-8601 instant'],
    [['--from', '2026-10-02T00:00:00Z', '--to', '2026-10-01T00:00:00Z'], '--from must be before --to'],
    [
      ['--from', '2025-01-01T00:00:00Z', '--to', '2026-10-01T00:00:00Z'],
      'A reconciliation covers at most 366 days',
    ],
    [['--from', '2026-10-01T00:00:00Z', '--to', '2026-10-02T00:00:00Z', '--organization', 'x'], 'uuid'],
    [['--frm', '2026-10-01T00:00:00Z'], 'unknown option "--frm"'],
    [['--from'], '--from needs a value'],
  ])('bad arguments %j: one clear line, exit 2', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr).toContain(message);
  });

  test('no DATABASE_URL: exit 2', async () => {
    const result = await run(['--from', scenario.from, '--to', scenario.to], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^billing:replay: DATABASE_URL is required/);
  });
});
