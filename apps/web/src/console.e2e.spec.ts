/**
 * The browser SSH console end to end: `start.js` (api, workers, web, with the Temporal dev server and the Linode
 * simulator it starts itself, on free ports, over a fresh database), a customer with a running server, and
 * Debian's Chromium driven by playwright-core: log in through the portal, open /vps/<id>/console, type into
 * xterm.js and read the sandboxed shell's answer in the terminal; the window's size reaches the shell; reconnect.
 */
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { type Browser, type Page } from 'playwright-core';
import { formatMoney, money } from '../../../libs/domain/src';
import {
  apiCall,
  startStack,
  waitFor,
  type ApiCall,
  type Json,
  type Stack,
} from '../../../infra/src/testing';
import { expectAccessible } from './test-support/accessibility';
import { cspViolations, launchChromium, RESULTS_ROOT, screenshots } from './test-support/browser';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };
const CUSTOMER = { email: 'grace@example.com', password: 'correct-horse-battery', name: 'Grace' };
const ROOT_PASSWORD = 'Correct-Horse-42-Battery';

let stack: Stack | undefined;
let call: ApiCall;
let webUrl: string;
let simUrl: string;
let browser: Browser | null = null;
const shot = screenshots(RESULTS_ROOT);

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({
    name: 'console-e2e',
    env: {
      SIM_PROVISIONING_MS: '200',
      SIM_BOOTING_MS: '200',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
  });
  call = apiCall(stack.urls.api);
  // The portal's origin as the browser sees it: the API's console socket accepts pages from here only.
  webUrl = stack.urls.web;
  simUrl = stack.urls.sim;
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

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

test("the portal's pages and other answers carry its security headers", async () => {
  const apiWebSocket = new URL(stack!.urls.api.replace(/^http/, 'ws')).origin;
  const page = await fetch(`${webUrl}/login`);
  expect(page.status).toBe(200);
  const policy = page.headers.get('content-security-policy') ?? '';
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+'/);
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy).toContain(`connect-src 'self' ${apiWebSocket}`);
  // The theme script in app.html runs by that nonce.
  const nonce = /'nonce-([^']+)'/.exec(policy)![1];
  const html = await page.text();
  const theme = html.indexOf('// Theme before first paint');
  expect(theme).toBeGreaterThan(0);
  expect(html.slice(html.lastIndexOf('<script', theme), theme)).toContain(`nonce="${nonce}"`);

  const health = await fetch(`${webUrl}/health`);
  expect(health.headers.get('content-security-policy')).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'",
  );
  for (const answer of [page, health]) {
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(answer.headers.get('x-frame-options')).toBe('DENY');
  }
});

test('log in, open the console of a running server, type into xterm, read the answer, resize, reconnect', async () => {
  const { token, orgId, vpsId } = await customerWithServer();

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1000, height: 600 } });
  // The portal's Content-Security-Policy lets the console and live-update sockets through: no violation at all.
  const violations = await cspViolations(context);
  const page = await context.newPage();
  // In through the login form, to the server's page, and its Console button.
  await logIn(page, `/vps/${vpsId}`);
  await expectAccessible(page);
  await page.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: 30_000 });
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
  await shot(page, 'console', { fullPage: false });
  await expectAccessible(page);

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
  expect(violations).toEqual([]);
});
