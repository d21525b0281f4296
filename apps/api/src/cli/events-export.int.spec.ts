/** The events:export CLI run in-process against a real database filled through the API. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { streams } from '@stratus/domain';
import { startTestApi, type TestApi, signInAdmin } from '../testing/api-test-app';
import { eventsExport, EVENTS_EXPORT_USAGE } from './events-export';

jest.setTimeout(120_000);

let api: TestApi;
let adminToken: string;
let orgId: string;
let dir: string;

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

async function run(argv: string[], env: NodeJS.ProcessEnv = { DATABASE_URL: api.db.url }) {
  const stdout = capture();
  const stderr = capture();
  const code = await eventsExport(argv, { stdout: stdout.stream, stderr: stderr.stream, env });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const lines = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .filter((l) => l.length > 0)
    .map(
      (l) =>
        JSON.parse(l) as { position: string; type: string; streamId: string; data: Record<string, unknown> },
    );

async function apiExport(query: string): Promise<string> {
  const res = await fetch(`${api.url}/api/admin/events/export?${query}`, {
    headers: { authorization: `Bearer ${adminToken}` },
  });
  expect(res.status).toBe(200);
  return res.text();
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'events-export-'));
  api = await startTestApi();
  adminToken = (await signInAdmin(api)).token;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email: 'cli@audit.test', password: 'a-long-password-1', name: 'Cli' },
  });
  expect(reg.status).toBe(201);
  orgId = reg.body.organization.id;
  for (const amount of ['3.00', '4.00']) {
    const res = await api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
      token: adminToken,
      body: { amount, reason: 'cli test' },
    });
    expect(res.status).toBe(201);
  }
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await api.orm.em
      .getConnection()
      .execute<{ n: number }[]>('select count(*)::int as n from event_log');
    if (row.n === (await api.eventCount())) break;
    if (Date.now() > deadline) throw new Error('event_log did not catch up');
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  await api?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('events:export', () => {
  test('the whole history to stdout: the same lines as the API export, no password hash', async () => {
    const result = await run([]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(await apiExport(''));
    expect(lines(result.stdout)).toHaveLength(await api.eventCount());
    expect(result.stdout).not.toContain('$argon2');
    expect(result.stdout).toContain('"passwordHash":"[redacted]"');
  });

  test('filters to a file with --out; --from a position resumes after it', async () => {
    const file = join(dir, 'credits.ndjson');
    const result = await run(['--organization', orgId, '--type', 'WalletCredited', '--out', file]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(`events:export: 2 event(s) written to ${file}\n`);
    const written = readFileSync(file, 'utf8');
    expect(written).toBe(await apiExport(`organizationId=${orgId}&type=WalletCredited`));
    const credits = lines(written);
    expect(credits.map((c) => c.data.amount)).toEqual(['3.000000', '4.000000']);

    const resumed = await run([
      `--organization=${orgId}`,
      '--type=WalletCredited',
      '--from',
      credits[0].position,
    ]);
    expect(lines(resumed.stdout)).toEqual(credits.slice(1));
  });

  test('--stream, --stream-prefix, several --type, --from/--to times', async () => {
    const wallet = await run(['--stream', streams.wallet(orgId)]);
    expect(lines(wallet.stdout).map((l) => l.type)).toEqual([
      'WalletOpened',
      'WalletCredited',
      'WalletCredited',
    ]);
    const prefix = await run(['--stream-prefix', 'useremail-']);
    expect(lines(prefix.stdout).every((l) => l.streamId.startsWith('useremail-'))).toBe(true);
    const types = await run(['--type', 'WalletOpened', '--type', 'EmailClaimed,OrganizationCreated']);
    expect(new Set(lines(types.stdout).map((l) => l.type))).toEqual(
      new Set(['WalletOpened', 'EmailClaimed', 'OrganizationCreated']),
    );
    const none = await run(['--from', '2000-01-01T00:00:00Z', '--to', '2000-01-02T00:00:00Z']);
    expect(none).toEqual({ code: 0, stdout: '', stderr: '' });
    const all = await run(['--from', '2000-01-01', '--to', '2999-01-01T00:00:00Z']);
    expect(lines(all.stdout)).toHaveLength(await api.eventCount());
  });

  test('--help prints the usage and exits 0', async () => {
    expect(await run(['--help'])).toEqual({ code: 0, stdout: EVENTS_EXPORT_USAGE, stderr: '' });
  });

  test.each([
    [['--bogus'], 'events:export: unknown option "--bogus" (see --help)'],
    [['--from'], 'events:export: --from needs a value (see --help)'],
    [['--from', 'yesterday'], 'events:export: --from must be an ISO-8601 date or time with a zone'],
    [['--to', '1/2'], 'events:export: --to must be an ISO-8601 date or time with a zone'],
    [['--type', 'not a type'], 'events:export: --type must be 1 to 50 event type names'],
    [['--stream', 'a', '--stream', 'b'], 'events:export: --stream given twice'],
    [['--from', '2026-02-01', '--to', '2026-01-01'], 'events:export: --to must not be before from'],
  ])('%j exits 2 with one clear line', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.startsWith(message)).toBe(true);
    expect(result.stderr.split('\n')).toHaveLength(2); // one line and its newline
  });

  test('without DATABASE_URL it exits 2 naming the variable', async () => {
    const result = await run([], {});
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^events:export: DATABASE_URL is required/);
  });
});
