/**
 * The customer portal end to end: `start.js` (api, workers, web, with the Temporal dev server and the Linode simulator
 * it starts itself, on free ports, over a fresh database, billing periods of a few seconds) and Debian's Chromium
 * driven by playwright-core. A visitor registers through the portal; staff credits the wallet (API) and the
 * dashboard's balance changes without a reload; the wizard creates one server even when its button is double-clicked;
 * the server page follows it to running live (no reload), reboots it, shows charges as they are made, and deletes it
 * after a confirmation. A second customer of another organization gets a 404 on the first one's server page.
 * Screenshots of each main page go to apps/web/test-results/ (git-ignored).
 */
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { formatMoney, money } from '@stratus/domain';
import {
  apiCall,
  startStack,
  waitFor,
  type ApiCall,
  type Json,
  type Stack,
} from '../../../infra/src/testing';
import { formatMoney as displayMoney } from '$lib/money';
import { expectAccessible } from './test-support/accessibility';
import { launchChromium, RESULTS_ROOT, screenshots } from './test-support/browser';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };
const ADA = { email: 'ada@example.com', password: 'correct-horse-battery', name: 'Ada Lovelace' };
const EVE = { email: 'eve@example.com', password: 'another-long-password', name: 'Eve' };
const PERIOD_SECONDS = 3;

let stack: Stack | undefined;
let call: ApiCall;
let apiUrl: string;
let webUrl: string;
let browser: Browser | null = null;
const shot = screenshots(RESULTS_ROOT);

beforeAll(async () => {
  // One portal build at a time across the journeys (a lock shared with the staff journey).
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({
    name: 'customer-journey',
    env: {
      SIM_PROVISIONING_MS: '300',
      SIM_BOOTING_MS: '300',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BILLING_PERIOD_SECONDS: String(PERIOD_SECONDS),
      VPS_MIN_BALANCE_HOURS: '1',
    },
  });
  apiUrl = stack.urls.api;
  // The portal's origin as the browser sees it (ORIGIN: SvelteKit checks form posts against it).
  webUrl = stack.urls.web;
  call = apiCall(apiUrl);
  // The banner lists what started; the journey needs the API and the portal answering.
  for (const url of [`${apiUrl}/health`, `${webUrl}/health`]) {
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (!ok) throw new Error(`${url} does not answer\n--- start.js output ---\n${stack.output()}`);
  }
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** Marks the document; the mark survives client-side updates and disappears on a reload. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __journeyMark: number }).__journeyMark = 42));
}
async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __journeyMark?: number }).__journeyMark === 42);
}

async function register(page: Page, who: { email: string; password: string; name: string }): Promise<void> {
  await page.goto(`${webUrl}/register`);
  await page.locator('input[name="name"]').fill(who.name);
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/dashboard', { timeout: 30_000 }),
    page.getByTestId('register-submit').click(),
  ]);
}

test('register → funded live → wizard creates one server → running live → reboot → charges → delete; another tenant gets 404', async () => {
  // Staff: a plan on a simulator type.
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

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));

  // Visitor: the landing page and public pricing, then registration.
  await page.goto(`${webUrl}/`);
  await shot(page, 'home');
  await expectAccessible(page);
  await page.goto(`${webUrl}/login`);
  await shot(page, 'login');
  await expectAccessible(page);
  await page.goto(`${webUrl}/pricing`);
  await page.getByTestId('plan').first().waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('plan').first().textContent()).toContain('Nano');
  await shot(page, 'pricing');
  await expectAccessible(page);

  // A refused registration shows the API's message next to the field.
  await page.goto(`${webUrl}/register`);
  await page.locator('input[name="name"]').fill('Admin Twin');
  await page.locator('input[name="email"]').fill(ADMIN.email);
  await page.locator('input[name="password"]').fill('a-long-enough-password');
  await page.getByTestId('register-submit').click();
  await page.getByTestId('error-email').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('error-email').textContent()).toContain('already registered');
  await shot(page, 'register-error');
  await expectAccessible(page);

  await register(page, ADA);
  // The session is an httpOnly cookie: scripts in the page never see the token.
  const scriptCookies = await page.evaluate(() => document.cookie);
  expect(scriptCookies).not.toContain('stratus_session');
  expect(scriptCookies).not.toContain('eyJ');
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === 'stratus_session');
  expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

  // The live socket is up (not the polling fallback).
  await page.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('balance').textContent()).toContain('$0.00');
  await markDocument(page);

  // Staff credits the wallet through the API; the dashboard's balance follows without a reload.
  const adaToken = (await call('POST', '/auth/login', { body: { email: ADA.email, password: ADA.password } }))
    .body.token as string;
  const orgId = await waitFor(
    "Ada's organization",
    async () => {
      const me = await call('GET', '/me', { token: adaToken });
      return { value: (me.body?.activeOrganizationId as string | null) ?? undefined, seen: me.body };
    },
    15_000,
  );
  const offered = await waitFor(
    'the plan on offer',
    async () => {
      const res = await call('GET', '/vps/plans');
      const mine = res.status === 200 ? (res.body as Json[]).find((p) => p.id === plan.body.id) : undefined;
      return { value: mine, seen: res.body };
    },
    15_000,
  );
  const credit = money(offered.hourlyPrice) * 200n;
  const funded = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin,
    body: { amount: formatMoney(credit), reason: 'Journey credit' },
    headers: { 'Idempotency-Key': 'journey-credit' },
  });
  expect(funded.status).toBe(201);
  const expectedBalance = displayMoney(credit, { decimals: 2 });
  await waitFor(
    'the new balance on the dashboard',
    async () => {
      const text = (await page.getByTestId('balance').textContent()) ?? '';
      return { value: text.includes(expectedBalance) ? text : undefined, seen: text };
    },
    30_000,
  );
  expect(await stillSameDocument(page)).toBe(true);
  await shot(page, 'dashboard');
  await expectAccessible(page);

  // The wizard: region → plan → image → access → review.
  await page.goto(`${webUrl}/vps/new`);
  await page.getByTestId('region-us-east').check();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('plan-Nano').check();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('image-linode/debian12').check();
  await page.getByTestId('wizard-next').click();
  await page.locator('input[name="label"]').fill('journey-1');
  await page.locator('input[name="rootPassword"]').fill('Correct-Horse-42-Battery');
  await page.getByTestId('wizard-next').click();
  const review = page.getByTestId('review');
  await review.waitFor();
  expect(await page.getByTestId('review-hourly').textContent()).toContain(
    offered.hourlyPrice.replace(/0+$/, ''),
  );
  expect(await page.getByTestId('review-monthly').textContent()).toContain('$6.00');
  expect(await page.getByTestId('review-balance').textContent()).toContain(expectedBalance);
  expect(await page.getByTestId('balance-warning').count()).toBe(0);
  await page.getByTestId('balance-ok').waitFor();
  await shot(page, 'wizard-review');
  await expectAccessible(page);

  // A double click: one server (the form's idempotency key).
  await Promise.all([
    page.waitForURL((url) => /^\/vps\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 60_000 }),
    page.getByTestId('create-server').dblclick(),
  ]).catch(async (error: Error) => {
    await shot(page, 'failure-create');
    const text = await page
      .locator('main')
      .innerText()
      .catch(() => '');
    throw new Error(
      `${error.message}\n--- page ---\n${text}\n--- start.js (tail) ---\n${stack!.output().slice(-4000)}`,
    );
  });
  const vpsId = new URL(page.url()).pathname.split('/').pop()!;
  const servers = await call('GET', `/organizations/${orgId}/vps`, { token: adaToken });
  expect(servers.body.map((s: Json) => s.id)).toEqual([vpsId]);

  // The server page follows provisioning to running without a reload.
  await page.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: 30_000 });
  await markDocument(page);
  await page.locator('[data-testid="status-badge"][data-status="active"]').waitFor({ timeout: 90_000 });
  expect(await stillSameDocument(page)).toBe(true);
  expect(await page.locator('[data-testid="timeline"] [data-state="done"]').count()).toBe(5);
  await page.getByTestId('console-link').waitFor();
  expect(await page.getByTestId('console-link').getAttribute('href')).toBe(`/vps/${vpsId}/console`);

  // Reboot.
  await page.getByTestId('power-reboot').click();
  await page.getByTestId('action-message').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('action-message').textContent()).toContain('Reboot requested');
  await page.getByTestId('last-power-action').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('last-power-action').textContent()).toContain('reboot');

  // Charges arrive period after period, on the open page.
  await markDocument(page);
  await waitFor(
    'three charges on the server page',
    async () => {
      const rows = await page.getByTestId('charge-row').count();
      return { value: rows >= 3 ? rows : undefined, seen: rows };
    },
    60_000,
  );
  expect(await stillSameDocument(page)).toBe(true);
  await shot(page, 'server');
  await expectAccessible(page);

  // The other main pages.
  await page.goto(`${webUrl}/vps`);
  await page.getByTestId('server-row').first().waitFor();
  await shot(page, 'servers');
  await expectAccessible(page);
  await page.goto(`${webUrl}/billing`);
  await page.getByTestId('ledger').waitFor();
  expect(await page.locator('[data-testid="ledger-row"][data-type="WalletCharged"]').count()).toBeGreaterThan(
    0,
  );
  await page.getByTestId('spend-chart').waitFor();
  await shot(page, 'billing');
  await expectAccessible(page);
  await page.goto(`${webUrl}/organizations`);
  await page.getByTestId('members').waitFor();
  await shot(page, 'organizations');
  await expectAccessible(page);

  // Phone width, dark theme.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${webUrl}/dashboard`);
  await page.getByTestId('theme-toggle').click();
  expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true);
  await shot(page, 'dashboard-phone-dark');
  await expectAccessible(page);
  await page.getByTestId('theme-toggle').click();
  await page.setViewportSize({ width: 1280, height: 900 });

  // Delete, after the confirmation dialog.
  await page.goto(`${webUrl}/vps/${vpsId}`);
  await page.getByTestId('delete-dialog-open').click();
  await page.getByTestId('delete-dialog').waitFor();
  await shot(page, 'server-delete-dialog');
  await expectAccessible(page);
  await page.getByTestId('delete-dialog-confirm').click();
  await page.locator('[data-testid="status-badge"][data-status="deleted"]').waitFor({ timeout: 60_000 });

  // Without the socket (refused here), the page polls: a second credit still shows without a reload.
  const polling = await context.newPage();
  let socketAllowed = false;
  await polling.routeWebSocket(/\/api\/live/, (ws) => {
    if (socketAllowed) ws.connectToServer();
    else ws.close({ code: 1011, reason: 'test: no live socket' });
  });
  await polling.goto(`${webUrl}/dashboard`);
  await polling.locator('[data-testid="live-state"][data-state="polling"]').waitFor({ timeout: 30_000 });
  await markDocument(polling);
  const before = (await polling.getByTestId('balance').textContent()) ?? '';
  const topUp = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin,
    body: { amount: '100.000000', reason: 'Journey top-up' },
    headers: { 'Idempotency-Key': 'journey-top-up' },
  });
  expect(topUp.status).toBe(201);
  await waitFor(
    'the topped-up balance, by polling',
    async () => {
      const text = (await polling.getByTestId('balance').textContent()) ?? '';
      return { value: text !== before && text.includes('$10') ? text : undefined, seen: { before, text } };
    },
    30_000,
  );
  expect(await stillSameDocument(polling)).toBe(true);
  // Once the socket is reachable again, the page reconnects with a fresh ticket from the portal (/live/ticket).
  socketAllowed = true;
  await polling.locator('[data-testid="live-state"][data-state="live"]').waitFor({ timeout: 60_000 });
  expect(await stillSameDocument(polling)).toBe(true);
  await polling.close();

  // A second organization: created (it becomes the active one, with its own empty wallet), then back to the first.
  await page.goto(`${webUrl}/organizations`);
  await page.locator('form[action="?/create"] input[name="name"]').fill('Ada Labs');
  await page.getByTestId('create-org').click();
  await page.getByTestId("switch-Ada Lovelace's organization").waitFor({ timeout: 30_000 });
  await page.goto(`${webUrl}/vps`);
  await page.getByTestId('empty-state').waitFor();
  await page.goto(`${webUrl}/organizations`);
  await page.getByTestId("switch-Ada Lovelace's organization").click();
  await page.getByTestId('switch-Ada Labs').waitFor({ timeout: 30_000 });
  await page.goto(`${webUrl}/vps`);
  await page.locator(`[data-testid="server-row"][data-id="${vpsId}"]`).waitFor();

  // Another customer, another organization: the first one's server does not exist for them.
  const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const evePage = await other.newPage();
  await register(evePage, EVE);
  const response = await evePage.goto(`${webUrl}/vps/${vpsId}`);
  expect(response?.status()).toBe(404);
  await evePage.locator('[data-testid="error-page"][data-status="404"]').waitFor();
  expect(await evePage.content()).not.toContain('journey-1');
  await shot(evePage, 'not-found');
  await expectAccessible(evePage);
  // Logging out forgets the session: the dashboard then asks to log in and comes back afterwards.
  await evePage.goto(`${webUrl}/dashboard`);
  await Promise.all([
    evePage.waitForURL((url) => url.pathname === '/login', { timeout: 30_000 }),
    evePage.getByTestId('logout').click(),
  ]);
  expect((await other.cookies()).find((c) => c.name === 'stratus_session')).toBeUndefined();
  await evePage.goto(`${webUrl}/dashboard`);
  expect(new URL(evePage.url()).pathname + new URL(evePage.url()).search).toBe('/login?next=%2Fdashboard');
  await evePage.locator('input[name="email"]').fill(EVE.email);
  await evePage.locator('input[name="password"]').fill('not-her-password');
  await evePage.getByTestId('login-submit').click();
  await evePage.getByTestId('error-password').waitFor({ timeout: 30_000 });
  await evePage.locator('input[name="password"]').fill(EVE.password);
  await Promise.all([
    evePage.waitForURL((url) => url.pathname === '/dashboard', { timeout: 30_000 }),
    evePage.getByTestId('login-submit').click(),
  ]);
  await other.close();

  expect(pageErrors).toEqual([]);
});
