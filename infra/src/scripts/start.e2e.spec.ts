/**
 * The README's promise, end to end through real processes: `start.js` boots the API and the workers
 * (as `npm start` does, minus the web build) with the Temporal dev server and the Linode simulator it
 * starts itself (on free ports, so a developer's running instance is untouched), and a customer registers,
 * logs in, is credited by staff and reads the balance and ledger that the workers' projections wrote.
 * Ctrl-C stops everything: every child process is gone, Temporal last.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createTestDatabase, TestDatabase } from '../testing';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? res(address.port) : rej(new Error('no port')),
      );
    });
  });
}

async function waitFor<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let db: TestDatabase;
let dataDir: string;
let child: ChildProcess;
let output = '';
let apiUrl: string;
let metricsUrl: string;
let temporalAddress: string;
let temporalUiUrl: string;
let simUrl: string;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** PIDs the launcher reported: "<name> │ started (pid N)" for the services and the simulator, "ready (pid N)" for Temporal. */
function childPids(): Record<string, number> {
  const pids: Record<string, number> = {};
  for (const match of output.matchAll(/^(\w+)\s*│ (?:started|ready) \(pid (\d+)\)/gm))
    pids[match[1]] = Number(match[2]);
  return pids;
}

beforeAll(async () => {
  db = await createTestDatabase('stratus_start');
  dataDir = mkdtempSync(join(tmpdir(), 'stratus-start-'));
  const [apiPort, metricsPort, temporalPort, temporalUiPort, simPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  apiUrl = `http://127.0.0.1:${apiPort}/api`;
  metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
  temporalAddress = `127.0.0.1:${temporalPort}`;
  temporalUiUrl = `http://localhost:${temporalUiPort}`;
  simUrl = `http://127.0.0.1:${simPort}`;
  child = spawn(process.execPath, [join(REPO_ROOT, 'infra/dist/scripts/start.js'), 'api', 'workers'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      // Where the pinned Temporal CLI is cached (temporal-cli.ts).
      ...(process.env.STRATUS_CACHE_DIR ? { STRATUS_CACHE_DIR: process.env.STRATUS_CACHE_DIR } : {}),
      ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      NO_COLOR: '1',
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(temporalUiPort),
      SIM_PORT: String(simPort),
      DATABASE_URL: db.url,
      STRATUS_DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      WORKERS_METRICS_PORT: String(metricsPort),
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  await waitFor(
    '"Stratus is running"',
    () => (output.includes('Stratus is running') ? true : undefined),
    120_000,
  ).catch((error) => {
    throw new Error(`${(error as Error).message}\n--- start.js output ---\n${output}`);
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  // Temporal runs in its own process group; never leave it behind when a test fails midway.
  for (const pid of Object.values(childPids())) if (alive(pid)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await db?.drop();
});

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

test('the launcher runs Temporal (dev server, UI, data in the data directory) and the Linode simulator for the services', async () => {
  const health = await call('GET', '/health');
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({
    status: 'ok',
    temporal: { status: 'ok', address: temporalAddress, namespace: 'default' },
  });
  expect(existsSync(join(dataDir, 'temporal.sqlite'))).toBe(true);
  expect((await fetch(temporalUiUrl)).status).toBe(200);
  expect(output).toMatch(/^temporal\s*│ ready \(pid \d+\)/m);

  const regions = await fetch(`${simUrl}/v4/regions`, {
    headers: { authorization: 'Bearer simulator-token' },
  });
  expect(regions.status).toBe(200);
  expect(output).toMatch(/^sim\s*│ ready: /m);
});

test('register → login → staff credit → balance and ledger from the workers’ projections; Ctrl-C stops all', async () => {
  const health = await call('GET', '/health');
  expect(health.status).toBe(200);
  expect(health.body.status).toBe('ok');

  const registered = await call('POST', '/auth/register', {
    body: { email: 'grace@example.com', password: 'correct-horse-battery', name: 'Grace' },
  });
  expect(registered.status).toBe(201);
  const orgId: string = registered.body.organization.id;

  const login = await call('POST', '/auth/login', {
    body: { email: 'grace@example.com', password: 'correct-horse-battery' },
  });
  expect(login.status).toBe(200);
  const token: string = login.body.token;

  const admin = await call('POST', '/auth/login', { body: ADMIN });
  expect(admin.status).toBe(200);
  const credit = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin.body.token,
    body: { amount: '42.125000', reason: 'Launch credit' },
  });
  expect(credit.status).toBe(201);
  expect(credit.body.balance).toBe('42.125000');

  // The read models are written by the separate workers process; X-Min-Position waits for them.
  const readYourWrite = { 'X-Min-Position': credit.body.position as string };
  const wallet = await call('GET', `/organizations/${orgId}/wallet`, { token, headers: readYourWrite });
  expect(wallet.status).toBe(200);
  expect(wallet.headers.get('x-projection-lag')).toBeNull();
  expect(wallet.body).toMatchObject({ balance: '42.125000', currency: 'USD', organizationId: orgId });

  const ledger = await call('GET', `/organizations/${orgId}/wallet/transactions`, {
    token,
    headers: readYourWrite,
  });
  expect(ledger.status).toBe(200);
  expect(ledger.body.items).toEqual([
    expect.objectContaining({
      type: 'WalletCredited',
      amount: '42.125000',
      balanceAfter: '42.125000',
      description: 'Launch credit',
    }),
  ]);

  const metrics = await fetch(metricsUrl).then((r) => r.text());
  expect(metrics).toMatch(/stratus_projection_lag_events\{projection="wallet-transactions"\} 0/);

  const pids = childPids();
  expect(Object.keys(pids).sort()).toEqual(['api', 'sim', 'temporal', 'workers']);
  const exit = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  child.kill('SIGINT');
  expect(await exit).toBe(0);
  expect(Object.entries(pids).filter(([, pid]) => alive(pid))).toEqual([]);
  // The services stop before what they use.
  expect(output.indexOf('temporal│ stopping')).toBeGreaterThan(output.indexOf('stopping api, workers'));
});
