/**
 * A server's life past provisioning, in the portal: `start.js` (api, workers, web, the Temporal dev server and the
 * Linode simulator with SSH, on free ports, over a fresh database) and Debian's Chromium. A customer adds an SSH key
 * (by keyboard; the same key again is refused beside the field), creates a server with it, logs in over SSH with the
 * private key (from this test: the browser has no SSH), renames the server and sets its reverse DNS, sees a refused
 * reverse DNS explained, opens the console, resizes the server (the next billing period charged the new price),
 * enables backups, rebuilds it with the key only and opens the console again (the rebuilt server's new host key
 * pinned, not refused), and deletes the key after a confirmation. Every page is checked with axe, at desktop and
 * phone width. Screenshots go to apps/web/test-results/.
 */
import { resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { Client, utils } from 'ssh2';
import { formatMoney, money } from '@stratus/domain';
import {
  apiCall,
  startStack,
  waitFor,
  type ApiCall,
  type Json,
  type Stack,
} from '../../../infra/src/testing';
import { expectAccessible } from './test-support/accessibility';
import { launchChromium, RESULTS_ROOT, screenshots } from './test-support/browser';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };
const GRACE = { email: 'grace@example.com', password: 'correct-horse-battery', name: 'Grace Hopper' };
const PERIOD_SECONDS = 10;

let stack: Stack | undefined;
let call: ApiCall;
let webUrl: string;
let browser: Browser | null = null;
const shot = screenshots(RESULTS_ROOT);

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({
    name: 'server-operations-journey',
    env: {
      SIM_PROVISIONING_MS: '300',
      SIM_BOOTING_MS: '300',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      VPS_MIN_BALANCE_HOURS: '1',
      // Short billing periods: the period after a resize is charged within the journey.
      BILLING_PERIOD_SECONDS: String(PERIOD_SECONDS),
    },
  });
  webUrl = stack.urls.web;
  call = apiCall(stack.urls.api);
  for (const url of [`${stack.urls.api}/health`, `${webUrl}/health`]) {
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

/** Root's SSH login with a private key; resolves once the server accepted it. */
function sshLogin(host: string, port: number, privateKey: string): Promise<void> {
  return new Promise((resolveLogin, rejectLogin) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.end();
        resolveLogin();
      })
      .on('error', rejectLogin)
      .connect({ host, port, username: 'root', privateKey, readyTimeout: 20_000 });
  });
}

/** Waits for a test id's text to match, on the open page (live updates, no reload). */
async function textOf(page: Page, testId: string, pattern: RegExp, what: string, timeoutMs = 60_000) {
  return waitFor(
    what,
    async () => {
      const locator = page.getByTestId(testId);
      const text = (await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '';
      return { value: pattern.test(text) ? text : undefined, seen: text };
    },
    timeoutMs,
  );
}

test('add a key → create a server with it → SSH login with the key → rename → reverse DNS → resize → backups → rebuild → console → delete the key', async () => {
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
  // The plan a server is resized to (same region, a larger disk at the provider).
  const bigPlan = await call('POST', '/admin/plans', {
    token: admin,
    body: {
      name: 'Big',
      providerPlanId: 'g6-standard-1',
      regions: ['us-east'],
      baseMonthlyPrice: '10.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    },
  });
  expect(bigPlan.status).toBe(201);

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });

  await page.goto(`${webUrl}/register`);
  await page.locator('input[name="name"]').fill(GRACE.name);
  await page.locator('input[name="email"]').fill(GRACE.email);
  await page.locator('input[name="password"]').fill(GRACE.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/dashboard', { timeout: 30_000 }),
    page.getByTestId('register-submit').click(),
  ]);
  const token = (
    await call('POST', '/auth/login', { body: { email: GRACE.email, password: GRACE.password } })
  ).body.token as string;
  const orgId = await waitFor(
    "Grace's organization",
    async () => {
      const me = await call('GET', '/me', { token });
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
  const funded = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin,
    body: { amount: formatMoney(money(offered.hourlyPrice) * 200n), reason: 'Journey credit' },
    headers: { 'Idempotency-Key': 'operations-journey-credit' },
  });
  expect(funded.status).toBe(201);

  // SSH keys, reached from the organizations page; added by keyboard alone.
  const pair = utils.generateKeyPairSync('ed25519');
  const publicKey = `${pair.public} grace@laptop`;
  await page.goto(`${webUrl}/organizations`);
  const link = page.getByTestId('ssh-keys-link');
  await link.waitFor({ timeout: 30_000 });
  expect(await link.getAttribute('href')).toBe('/organizations/ssh-keys');
  await page.goto(`${webUrl}/organizations/ssh-keys`);
  await page.getByTestId('empty-state').waitFor();
  await expectAccessible(page);
  await page.locator('#field-name').focus();
  await page.keyboard.type('Laptop');
  await page.keyboard.press('Tab');
  await page.keyboard.insertText(publicKey);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await textOf(page, 'keys-notice', /Key Laptop added \(SHA256:/, 'the added key');
  const fingerprint = (await page.getByTestId('ssh-key-fingerprint').first().textContent())?.trim() ?? '';
  expect(fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  await shot(page, 'ssh-keys');
  await expectAccessible(page);

  // The same key again: refused beside the field, what was typed kept.
  await page.locator('#field-name').fill('Laptop again');
  await page.locator('#field-publicKey').fill(publicKey);
  await page.getByTestId('add-key').click();
  await textOf(page, 'error-publicKey', /already added as "Laptop"/, 'the duplicate refused');
  expect(await page.locator('#field-name').inputValue()).toBe('Laptop again');
  expect(await page.getByTestId('ssh-key-row').count()).toBe(1);
  await shot(page, 'ssh-keys-duplicate');
  await expectAccessible(page);

  // The wizard offers the key; the review names it.
  await page.goto(`${webUrl}/vps/new`);
  await page.getByTestId('region-us-east').check();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('plan-Nano').check();
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('image-linode/debian12').check();
  await page.getByTestId('wizard-next').click();
  await page.locator('input[name="label"]').fill('ops-1');
  await page.locator('input[name="rootPassword"]').fill('Correct-Horse-42-Battery');
  await page.getByTestId('ssh-key-Laptop').check();
  await expectAccessible(page);
  await page.getByTestId('wizard-next').click();
  await page.getByTestId('review').waitFor();
  expect(await page.getByTestId('review-ssh-keys').textContent()).toContain('Laptop');
  await Promise.all([
    page.waitForURL((url) => /^\/vps\/[0-9a-f-]{36}$/.test(url.pathname), { timeout: 60_000 }),
    page.getByTestId('create-server').click(),
  ]).catch(async (error: Error) => {
    await shot(page, 'failure-operations-create');
    const text = await page
      .locator('main')
      .innerText()
      .catch(() => '');
    const posts = stack!
      .output()
      .split('\n')
      .filter((line) => line.includes('"method":"POST"'))
      .slice(-5)
      .join('\n');
    throw new Error(
      `${error.message}\n--- page (${page.url()}) ---\n${text}\n--- page errors ---\n${pageErrors.join('\n')}\n--- console ---\n${consoleErrors.join('\n')}\n--- the last POSTs ---\n${posts}`,
    );
  });
  const vpsId = new URL(page.url()).pathname.split('/').pop()!;
  await page.locator('[data-testid="status-badge"][data-status="active"]').waitFor({ timeout: 90_000 });
  const ipv4 = ((await page.getByTestId('server-ip').textContent()) ?? '').trim();
  expect(ipv4).toMatch(/^127\.77\.\d+\.\d+$/);

  // Root logs in with the key, no password.
  await sshLogin(ipv4, stack!.simSshPort, pair.private);

  // Rename: the page shows it under way, then the new name, live.
  await page.locator('#rename-label').fill('ops-2');
  await page.getByTestId('rename').click();
  await page.locator('h1', { hasText: 'ops-2' }).waitFor({ timeout: 60_000 });
  const detail = await call('GET', `/organizations/${orgId}/vps/${vpsId}`, { token });
  expect(detail.body).toMatchObject({
    label: 'ops-2',
    operation: null,
    lastOperation: { outcome: 'completed' },
  });

  // Reverse DNS: an invalid name is refused beside the field; a good one is set; one the provider refuses
  // (no forward DNS) is explained, and the server keeps the one it had.
  await page.locator('#reverse-dns-hostname').fill('localhost');
  await page.getByTestId('save-reverse-dns').click();
  await textOf(page, 'error-hostname', /host name/, 'the invalid host name refused');
  await expectAccessible(page);
  await page.locator('#reverse-dns-hostname').fill('mail.example.com');
  await page.getByTestId('save-reverse-dns').click();
  await textOf(page, 'server-reverse-dns', /^mail\.example\.com$/, 'the reverse DNS');
  await page.locator('#reverse-dns-hostname').fill('mail.example.invalid');
  await page.getByTestId('save-reverse-dns').click();
  await textOf(page, 'operation-failed', /forward DNS/, 'the refused reverse DNS explained');
  expect((await page.getByTestId('server-reverse-dns').textContent())?.trim()).toBe('mail.example.com');
  await shot(page, 'server-operations');
  await expectAccessible(page);

  // ---- rebuild, resize, backups (issue 15) ----
  // The console connects (and pins the server's SSH host key).
  const consoleConnects = async (what: string) => {
    await page.goto(`${webUrl}/vps/${vpsId}/console`);
    await page
      .locator('.console-status[data-state="connected"]')
      .waitFor({ timeout: 60_000 })
      .catch(async (error: Error) => {
        await shot(page, `failure-console-${what}`);
        const status = await page
          .locator('.console-status')
          .textContent()
          .catch(() => '');
        throw new Error(`${what}: ${error.message}; console status: ${status}`);
      });
    await expectAccessible(page);
    await page.goto(`${webUrl}/vps/${vpsId}`);
    await page.getByTestId('resize-form').waitFor();
  };
  await consoleConnects('before the rebuild');

  // Resize to Big: the page says the price applies from the next period; the new plan's price shows once done.
  const big = (await call('GET', '/vps/plans')).body.find((p: Json) => p.id === bigPlan.body.id) as Json;
  expect(await page.getByTestId('resize-form').textContent()).toMatch(/from the next billing period/);
  await page.locator('#resize-plan').selectOption(big.id as string);
  await expectAccessible(page);
  await page.getByTestId('resize').click();
  await waitFor(
    'the resize completed',
    async () => {
      const res = await call('GET', `/organizations/${orgId}/vps/${vpsId}`, { token });
      const done = res.body?.planId === big.id && res.body?.operation === null;
      return { value: done ? res.body : undefined, seen: res.body };
    },
    90_000,
  );
  const resized = (await call('GET', `/organizations/${orgId}/vps/${vpsId}`, { token })).body as Json;
  expect(resized).toMatchObject({
    hourlyPrice: big.hourlyPrice,
    lastOperation: { kind: 'resize', outcome: 'completed' },
  });
  const resizedAt = Date.parse(resized.lastOperation.finishedAt as string);
  // Billing: a period that started after the resize is charged the new price.
  const charge = await waitFor(
    'a period after the resize charged',
    async () => {
      const billing = await call('GET', `/organizations/${orgId}/vps/${vpsId}/billing`, { token });
      const charges = (billing.body?.charges ?? []) as Json[];
      const after = charges.find(
        (c) =>
          c.type === 'WalletCharged' &&
          Date.parse((c.chargeId as string).split(':').slice(1).join(':')) >= resizedAt,
      );
      return { value: after, seen: charges.slice(0, 3) };
    },
    6 * PERIOD_SECONDS * 1000,
  );
  expect(money((charge.amount as string).replace(/^-/, ''))).toBe(money(big.hourlyPrice as string));

  // Backups on: the upcharge is shown before, and added to the price after.
  expect(await page.getByTestId('backups-form').textContent()).toMatch(/\$2\.00\/mo/);
  await page.getByTestId('toggle-backups').click();
  await page
    .getByTestId('toggle-backups')
    .filter({ hasText: 'Disable backups' })
    .waitFor({ timeout: 60_000 });

  // Rebuild with the key only (no password): the new image shows once the server runs again.
  await page.locator('#rebuild-image').selectOption('linode/debian11');
  expect(await page.getByTestId('rebuild-key-Laptop').isChecked()).toBe(true);
  await expectAccessible(page);
  await page.getByTestId('rebuild').click();
  await waitFor(
    'the rebuild completed',
    async () => {
      const res = await call('GET', `/organizations/${orgId}/vps/${vpsId}`, { token });
      const done = res.body?.image === 'linode/debian11' && res.body?.operation === null;
      return { value: done ? res.body : undefined, seen: res.body };
    },
    90_000,
  );
  await shot(page, 'server-rebuilt');
  // The rebuilt server has a new host key: the console pins it again instead of refusing it.
  await consoleConnects('after the rebuild');
  await sshLogin(ipv4, stack!.simSshPort, pair.private);
  // ---- end of rebuild, resize, backups ----

  // Phone width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.getByTestId('rename-form').waitFor();
  await shot(page, 'server-operations-phone');
  await expectAccessible(page);
  await page.goto(`${webUrl}/organizations/ssh-keys`);
  await page.getByTestId('ssh-key-row').first().waitFor();
  await shot(page, 'ssh-keys-phone');
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Deleting the key, after a confirmation: the list is empty again (the server keeps it).
  await page.getByTestId('delete-key-Laptop-open').click();
  await page.getByTestId('delete-key-Laptop').waitFor();
  await expectAccessible(page);
  await page.getByTestId('delete-key-Laptop-confirm').click();
  await page.getByTestId('empty-state').waitFor({ timeout: 30_000 });
  await sshLogin(ipv4, stack!.simSshPort, pair.private);

  expect(pageErrors).toEqual([]);
});
