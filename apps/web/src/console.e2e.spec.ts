/**
 * The browser SSH console end to end: `start.js` (api, workers, web, with the Temporal dev server and the Linode
 * simulator it starts itself, on free ports, over a fresh database), a customer with a running server, and
 * Debian's Chromium driven by playwright-core: log in through the portal, open /vps/<id>/console, type into
 * xterm.js and read the sandboxed shell's answer in the terminal; the window's size reaches the shell; reconnect.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatMoney, money } from '../../../libs/domain/src';
import { createTestDatabase, type TestDatabase } from '../../../infra/src/testing';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const RESULTS_DIR = join(WEB_ROOT, 'test-results');
const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };
const CUSTOMER = { email: 'grace@example.com', password: 'correct-horse-battery', name: 'Grace' };
const ROOT_PASSWORD = 'Correct-Horse-42-Battery';

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

/** Polls until `probe` returns a value (not undefined); the deadline error shows the last thing seen. */
async function waitFor<T>(
  what: string,
  probe: () => Promise<{ value?: T; seen: unknown }>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { value, seen } = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(seen)}`,
      );
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

let db: TestDatabase;
let dataDir: string;
let child: ChildProcess;
let output = '';
let apiUrl: string;
let webUrl: string;
let simUrl: string;
let browser: Browser | null = null;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
function childPids(): number[] {
  return [...output.matchAll(/^(\w+)\s*│ (?:started|ready) \(pid (\d+)\)/gm)].map((match) =>
    Number(match[2]),
  );
}

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  db = await createTestDatabase('stratus_console_e2e');
  dataDir = mkdtempSync(join(tmpdir(), 'stratus-console-e2e-'));
  const [apiPort, metricsPort, temporalPort, temporalUiPort, simPort, simSshPort, webPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  apiUrl = `http://localhost:${apiPort}/api`;
  // The portal's origin as the browser sees it: the API's console socket accepts pages from here only.
  webUrl = `http://localhost:${webPort}`;
  simUrl = `http://127.0.0.1:${simPort}`;
  child = spawn(process.execPath, [join(REPO_ROOT, 'infra/dist/scripts/start.js')], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...(process.env.STRATUS_CACHE_DIR ? { STRATUS_CACHE_DIR: process.env.STRATUS_CACHE_DIR } : {}),
      ...(process.env.XDG_CACHE_HOME ? { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME } : {}),
      ...(process.env.TEMPORAL_CLI_PATH ? { TEMPORAL_CLI_PATH: process.env.TEMPORAL_CLI_PATH } : {}),
      NO_COLOR: '1',
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(temporalUiPort),
      SIM_PORT: String(simPort),
      SIM_SSH_PORT: String(simSshPort),
      SIM_PROVISIONING_MS: '200',
      SIM_BOOTING_MS: '200',
      DATABASE_URL: db.url,
      STRATUS_DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      WEB_PORT: String(webPort),
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
    async () => ({ value: output.includes('Stratus is running') ? true : undefined, seen: 'no banner' }),
    180_000,
  ).catch((error) => {
    throw new Error(`${(error as Error).message}\n--- start.js output ---\n${output}`);
  });
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  if (child && child.exitCode === null) {
    const exited = new Promise((res) => child.once('exit', res));
    child.kill('SIGINT');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((res) => (timer = setTimeout(res, 20_000)))]);
    clearTimeout(timer);
  }
  if (child && child.exitCode === null) child.kill('SIGKILL');
  // Temporal runs in its own process group; never leave anything behind when a test fails midway.
  for (const pid of childPids()) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  await db?.drop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
type Json = any;

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json }> {
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
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A customer with a running server: plan, registration, credit, create → active, instance running. */
async function customerWithServer(): Promise<{ token: string; orgId: string; vpsId: string }> {
  const admin = (await call('POST', '/auth/login', { body: ADMIN })).body.token as string;
  const plan = await call('POST', '/admin/plans', {
    token: admin,
    body: {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east'],
      baseMonthlyPrice: '5.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    },
  });
  expect(plan.status).toBe(201);
  const registered = await call('POST', '/auth/register', { body: CUSTOMER });
  expect(registered.status).toBe(201);
  const orgId: string = registered.body.organization.id;
  const token: string = registered.body.token;
  const offered = await waitFor(
    'the plan on offer',
    async () => {
      const res = await call('GET', '/vps/plans', { token });
      const mine = res.status === 200 ? (res.body as Json[]).find((p) => p.id === plan.body.id) : undefined;
      return { value: mine, seen: res.body };
    },
    15_000,
  );
  const funded = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin,
    body: { amount: formatMoney(money(offered.hourlyPrice) * 100n), reason: 'Console test credit' },
    headers: { 'Idempotency-Key': 'console-credit' },
  });
  expect(funded.status).toBe(201);
  const created = await call('POST', `/organizations/${orgId}/vps`, {
    token,
    headers: { 'Idempotency-Key': 'console-create' },
    body: {
      label: 'console-1',
      planId: plan.body.id,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: ROOT_PASSWORD,
    },
  });
  expect(created.status).toBe(202);
  const vpsId: string = created.body.id;
  const active = await waitFor(
    'the server active',
    async () => {
      const res = await call('GET', `/organizations/${orgId}/vps/${vpsId}`, { token });
      return { value: res.body?.status === 'active' ? res.body : undefined, seen: res.body };
    },
    90_000,
  );
  // The simulator gives each server its own loopback address, where its SSH answers.
  expect(active.ipv4).toMatch(/^127\.77\.\d+\.\d+$/);
  await waitFor(
    'the instance running at the provider',
    async () => {
      const res = await fetch(`${simUrl}/__sim/instances`);
      const data = ((await res.json()) as { data: { id: number; status: string }[] }).data;
      const mine = data.find((instance) => String(instance.id) === String(active.providerInstanceId));
      return { value: mine?.status === 'running' ? true : undefined, seen: mine };
    },
    30_000,
  );
  return { token, orgId, vpsId };
}

/** The terminal's visible text, row by row (xterm's DOM renderer). */
const terminalText = (page: Page) =>
  page.locator('.xterm-rows').evaluate((rows) =>
    Array.from(rows.children)
      .map((row) => (row.textContent ?? '').replace(/\u00a0/g, ' ').trimEnd())
      .join('\n'),
  );

async function waitForTerminal(page: Page, what: string, pattern: RegExp): Promise<string> {
  return waitFor(
    what,
    async () => {
      const text = await terminalText(page);
      return { value: pattern.test(text) ? text : undefined, seen: text };
    },
    30_000,
  );
}

async function typeLine(page: Page, line: string): Promise<void> {
  await page.locator('.xterm').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** Logs in through the portal's login form, which brings the browser back to `next`. */
async function logIn(page: Page, next: string): Promise<void> {
  await page.goto(`${webUrl}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="email"]').fill(CUSTOMER.email);
  await page.locator('input[name="password"]').fill(CUSTOMER.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === next, { timeout: 30_000 }),
    page.getByTestId('login-submit').click(),
  ]);
}

test('log in, open the console of a running server, type into xterm, read the answer, resize, reconnect', async () => {
  const { token, orgId, vpsId } = await customerWithServer();

  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1000, height: 600 } });
  const page = await context.newPage();
  // In through the login form, to the server's page, and its Console button.
  await logIn(page, `/vps/${vpsId}`);
  await Promise.all([
    page.waitForURL((url) => url.pathname === `/vps/${vpsId}/console`, { timeout: 30_000 }),
    page.getByTestId('console-link').click(),
  ]);
  const status = page.locator('.console-status');
  await status.and(page.locator('[data-state="connected"]')).waitFor({ timeout: 60_000 });
  // The browser never sees the session token: it is httpOnly and only tickets reach the page.
  const scriptCookies = await page.evaluate(() => document.cookie);
  expect(scriptCookies).not.toContain('stratus_session');
  expect(scriptCookies).not.toContain('eyJ');

  const marker = randomBytes(6).toString('hex');
  // The shell computes part of the answer, so the echoed command line alone cannot match.
  await typeLine(page, `echo hello-$((6*7))-${marker}`);
  await waitForTerminal(page, 'the echo in the terminal', new RegExp(`^hello-42-${marker}$`, 'm'));
  mkdirSync(RESULTS_DIR, { recursive: true });
  await page.screenshot({ path: join(RESULTS_DIR, 'console.png') });

  // The window's size reaches the shell: the fit addon refits, the API resizes the pty, stty reports it.
  let asked = 0;
  const ptySize = async (): Promise<{ rows: number; cols: number }> => {
    const nonce = ++asked;
    await typeLine(page, `echo size-${nonce}-$(stty size | tr " " x)`);
    const text = await waitForTerminal(
      page,
      `size answer ${nonce}`,
      new RegExp(`^size-${nonce}-\\d+x\\d+$`, 'm'),
    );
    const [, rows, cols] = text.match(new RegExp(`^size-${nonce}-(\\d+)x(\\d+)$`, 'm'))!;
    return { rows: Number(rows), cols: Number(cols) };
  };
  const before = await ptySize();
  expect(before.cols).toBeGreaterThan(20);
  await page.setViewportSize({ width: 1400, height: 900 });
  // The resize travels browser → API → SSH asynchronously: ask until the shell sees it.
  const grown = await waitFor(
    'a larger pty after the window grew',
    async () => {
      const size = await ptySize();
      return { value: size.cols > before.cols && size.rows > before.rows ? size : undefined, seen: size };
    },
    30_000,
    0,
  );
  expect(grown.cols).toBeGreaterThan(before.cols);

  // Reconnect: a fresh ticket and a fresh shell (its home is a new tmpfs).
  await typeLine(page, `touch /root/was-here-${marker}`);
  await page.locator('.console-reconnect').click();
  await status.and(page.locator('[data-state="connected"]')).waitFor({ timeout: 60_000 });
  await typeLine(page, `echo files-$(ls /root | wc -l)-again-${marker}`);
  await waitForTerminal(page, 'the second session answering', new RegExp(`^files-0-again-${marker}$`, 'm'));

  // The server is shut down: the session ends and the status line says why.
  const shutdown = await call('POST', `/organizations/${orgId}/vps/${vpsId}/actions`, {
    token,
    body: { action: 'shutdown' },
  });
  expect(shutdown.status).toBeLessThan(300);
  await status.and(page.locator('[data-state="closed"]')).waitFor({ timeout: 60_000 });
  expect(await status.textContent()).toMatch(/closed: \S+/);
});
