/**
 * The staff area end to end: `start.js` (api, workers, web, with the Temporal dev server and the Linode simulator it
 * starts itself, on free ports, over a fresh database, the admin password generated and read back from the data
 * directory), a customer registered through the API, and Debian's Chromium driven by playwright-core. Staff logs in
 * through the portal, credits the customer's wallet from the UI, finds those events in the history filtered by
 * organization, opens the wallet stream and time-travels to before the credit, runs a reconciliation over the period
 * and sees it clean, and views the provisioning, projections and mail pages. A customer gets a 404 at /admin and
 * turns a mail off on a phone from the mail settings page. Screenshots
 * of every admin page go to apps/web/test-results/ (git-ignored).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { startStack, waitFor, type Stack } from '../../../infra/src/testing';
import { expectAccessible } from './test-support/accessibility';
import { launchChromium, RESULTS_ROOT, screenshots } from './test-support/browser';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const ADMIN_EMAIL = 'ops@stratus.test';
const CUSTOMER = { email: 'lin@example.com', password: 'correct-horse-battery', name: 'Lin Customer' };
/** The session cookie hooks.server.ts reads (SESSION_COOKIE in $lib/server/api.ts). */
const SESSION_COOKIE = 'stratus_session';

let stack: Stack | undefined;
let dataDir: string;
let apiUrl: string;
let webUrl: string;
let simUrl: string;
let browser: Browser | null = null;
const shot = screenshots(join(RESULTS_ROOT, 'staff-journey'));

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({
    name: 'staff-journey',
    env: {
      // No ADMIN_PASSWORD: the first start generates one into <data>/secrets.json, as for a new operator.
      ADMIN_EMAIL,
      // A server whose instance never boots is stuck after 3 s; a small balance is enough to create one.
      PROVISIONING_RUNNING_TIMEOUT_SECONDS: '3',
      VPS_MIN_BALANCE_HOURS: '1',
    },
  });
  ({ dataDir } = stack);
  apiUrl = stack.urls.api;
  webUrl = stack.urls.web;
  simUrl = stack.urls.sim;
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

/** The seeded admin's password, as an operator finds it after the first start. */
function seededAdminPassword(): string {
  const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as {
    ADMIN_PASSWORD?: string;
  };
  expect(secrets.ADMIN_PASSWORD).toEqual(expect.any(String));
  return secrets.ADMIN_PASSWORD!;
}

/** Reloads `path` until `ready` holds (read models and the audit log fill asynchronously). */
async function openUntil(
  page: Page,
  path: string,
  what: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  await waitFor(
    what,
    async () => {
      await page.goto(`${webUrl}${path}`);
      // Not there yet (an error page while a read model catches up) counts as not ready.
      const ok = await ready().catch(() => false);
      const text = await page
        .locator('main')
        .innerText()
        .catch(() => '');
      return { value: ok ? true : undefined, seen: { url: page.url(), text: text.slice(0, 600) } };
    },
    // The workers' reactors (mail among them) start from the first event of a fresh stack; on two busy cores
    // the welcome mail was still unqueued after 30 s in a fresh-clone run.
    60_000,
    500,
  );
}

test('staff credits a wallet, finds it in the history, time-travels, reconciles clean, views provisioning and projections', async () => {
  const registered = await fetch(`${apiUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(CUSTOMER),
  });
  expect(registered.status).toBe(201);
  const customer = (await registered.json()) as { token: string; organization: { id: string } };
  const orgId = customer.organization.id;

  browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Europe/Berlin',
  });
  // Waits on elements are short: the read models are polled by reloading, not by one long wait.
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();

  // Log in through the portal's login form, coming back to the staff area.
  await page.goto(`${webUrl}/login?next=${encodeURIComponent('/admin')}`);
  await page.locator('input[name="email"]').fill(ADMIN_EMAIL);
  await page.locator('input[name="password"]').fill(seededAdminPassword());
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/admin', { timeout: 30_000 }),
    page.getByTestId('login-submit').click(),
  ]);
  await page.getByTestId('admin-area').waitFor();
  // The session stays server-side: the page's scripts cannot read it.
  expect(await page.evaluate(() => document.cookie)).not.toContain(SESSION_COOKIE);
  await shot(page, '01-admin-home');
  await expectAccessible(page);

  // Find the customer's organization by a member's email.
  await openUntil(
    page,
    `/admin/organizations?q=${encodeURIComponent(CUSTOMER.email)}`,
    'the organization listed',
    () => page.locator(`[data-testid="org-results"] a[href="/admin/organizations/${orgId}"]`).isVisible(),
  );
  await shot(page, '02-organizations-search');
  await expectAccessible(page);
  await page.locator(`a[href="/admin/organizations/${orgId}"]`).click();
  await page.waitForURL(`${webUrl}/admin/organizations/${orgId}`);
  await page.getByTestId('credit-form').waitFor();

  // A bad amount is explained beside the field and credits nothing.
  const creditForm = page.getByTestId('credit-form');
  await creditForm.locator('input[name="amount"]').fill('12.1234567');
  await creditForm.locator('input[name="reason"]').fill('Journey credit');
  await creditForm.getByTestId('credit-submit').click();
  await expect(page.getByTestId('error-amount').textContent()).resolves.toMatch(/at most 6 decimals/);

  // Credit from the UI, submitting with the keyboard.
  await creditForm.locator('input[name="amount"]').fill('25.00');
  await creditForm.locator('input[name="reason"]').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('credit-success').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('credit-success').textContent()).toContain('$25.00');
  await openUntil(page, `/admin/organizations/${orgId}`, 'the balance of $25.00', async () =>
    ((await page.getByTestId('wallet-balance').textContent()) ?? '').includes('$25.00'),
  );
  expect(await page.getByTestId('ledger').textContent()).toContain('Journey credit');
  await shot(page, '03-organization-credited');
  await expectAccessible(page);

  // The event history, filtered by organization, holds the credit with its data and metadata.
  await page.goto(`${webUrl}/admin/events`);
  const filters = page.getByTestId('event-filters');
  await filters.locator('input[name="organizationId"]').fill(orgId);
  await Promise.all([page.waitForURL(/organizationId=/), filters.getByTestId('apply-filters').click()]);
  const credited = page.locator('[data-testid="event"][data-type="WalletCredited"]');
  await waitFor(
    'WalletCredited in the organization history',
    async () => {
      if ((await credited.count()) > 0) return { value: true, seen: 'found' };
      await page.reload();
      return { seen: await page.locator('[data-testid="event"]').count() };
    },
    30_000,
    500,
  );
  const types = await page
    .locator('[data-testid="event"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));
  expect(types).toEqual(expect.arrayContaining(['WalletCredited', 'OrganizationCreated']));
  await credited.first().locator('summary').click();
  const data = await credited.first().getByTestId('event-data').textContent();
  expect(data).toContain('Journey credit');
  expect(data).toContain('25.000000');
  await shot(page, '04-event-history');
  await expectAccessible(page);

  // Paging both ways, two events a page: older, then newer brings back the first page.
  await page.goto(`${webUrl}/admin/events?organizationId=${orgId}&limit=2`);
  const rowIds = () =>
    page
      .locator('[data-testid="event"]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
  const firstPage = await rowIds();
  expect(firstPage).toHaveLength(2);
  expect(await page.getByTestId('newer').count()).toBe(0);
  await Promise.all([page.waitForURL(/before=/), page.getByTestId('older').click()]);
  const secondPage = await rowIds();
  expect(secondPage).toHaveLength(2);
  expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
  await Promise.all([page.waitForURL(/after=/), page.getByTestId('newer').click()]);
  expect(await rowIds()).toEqual(firstPage);

  // The export streams the same filter as JSON Lines through the portal.
  const exportHref = await page.getByTestId('export-link').getAttribute('href');
  expect(exportHref).toContain(`organizationId=${orgId}`);
  const exported = await page.request.get(`${webUrl}${exportHref}`);
  expect(exported.status()).toBe(200);
  const lines = (await exported.text())
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { type: string });
  expect(lines.map((l) => l.type)).toContain('WalletCredited');

  // The wallet stream: the credit, then the state just before it (time travel by revision).
  await page.goto(`${webUrl}/admin/events/streams/wallet-${orgId}`);
  await page.getByTestId('state').waitFor();
  expect(await page.getByTestId('state').textContent()).toContain('"balance": "25.000000"');
  const creditRevision = Number(
    await page
      .locator('[data-testid="stream-events"] [data-type="WalletCredited"]')
      .first()
      .getAttribute('data-revision'),
  );
  expect(creditRevision).toBeGreaterThan(0);
  await shot(page, '05-wallet-stream');
  await expectAccessible(page);
  const travel = page.getByTestId('time-travel-revision');
  await travel.locator('input[name="atRevision"]').fill(String(creditRevision - 1));
  await Promise.all([page.waitForURL(/atRevision=/), travel.locator('button').click()]);
  await expect(page.getByTestId('state-revision').getAttribute('data-revision')).resolves.toBe(
    String(creditRevision - 1),
  );
  const before = await page.getByTestId('state').textContent();
  expect(before).toContain('"balance": "0.000000"');
  expect(await page.locator('[data-testid="stream-events"] [data-type="WalletCredited"]').count()).toBe(0);
  await shot(page, '06-wallet-stream-before-credit');
  await expectAccessible(page);

  // …and by time: a second before the credit, picked in the browser's own zone (Europe/Berlin here).
  await page.goto(`${webUrl}/admin/events/streams/wallet-${orgId}`);
  const creditAt = await page
    .locator('[data-testid="stream-events"] [data-type="WalletCredited"] time')
    .first()
    .getAttribute('datetime');
  const localBefore = await page.evaluate((iso) => {
    const d = new Date(Date.parse(iso) - 1000);
    const p = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
  }, creditAt!);
  const byTime = page.getByTestId('time-travel-time');
  await byTime.locator('input[type="datetime-local"]').fill(localBefore);
  await Promise.all([page.waitForURL(/atTimeIso=/), byTime.locator('button').click()]);
  await expect(page.getByTestId('state-revision').getAttribute('data-revision')).resolves.toBe(
    String(creditRevision - 1),
  );
  expect(await page.getByTestId('state').textContent()).toContain('"balance": "0.000000"');

  // Reconciliation over the period (the default: the last 24 hours): clean.
  await page.goto(`${webUrl}/admin/billing`);
  await Promise.all([
    page.waitForURL(/\/admin\/billing\/[0-9a-f-]{36}$/, { timeout: 60_000 }),
    page.getByTestId('reconciliation-start').click(),
  ]);
  await page.getByTestId('reconciliation-clean').waitFor();
  await shot(page, '07-reconciliation');
  await expectAccessible(page);
  const csv = await page.request.get(`${webUrl}${await page.getByTestId('csv-link').getAttribute('href')}`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).split('\n')[0]).toContain('lineId');
  await page.goto(`${webUrl}/admin/billing`);
  expect(await page.getByTestId('reconciliation-runs').textContent()).toContain('Clean');
  await shot(page, '08-reconciliation-runs');
  await expectAccessible(page);

  // Provisioning: nothing needs attention; the page answers without an error.
  await page.goto(`${webUrl}/admin/provisioning`);
  await page.getByRole('heading', { name: 'Provisioning' }).waitFor();
  expect(await page.getByTestId('provisioning-load-error').count()).toBe(0);
  expect(await page.getByTestId('empty-state').textContent()).toContain('Nothing needs attention');
  await shot(page, '09-provisioning');
  await expectAccessible(page);

  // Plans: create one from the form, then change its markup.
  await page.goto(`${webUrl}/admin/plans`);
  const create = page.getByTestId('plan-create');
  await create.locator('input[name="name"]').fill('Journey Nano');
  await create.locator('input[name="providerPlanId"]').fill('g6-nanode-1');
  await create.locator('input[name="regions"]').fill('us-east');
  await create.locator('input[name="baseMonthlyPrice"]').fill('5.00');
  await create.locator('input[name="markup"]').fill('1.00');
  await create.locator('input[name="backupUpcharge"]').fill('2.00');
  await create.locator('button').click();
  const createdLink = page.locator('[data-testid="plan-created"] a');
  await createdLink.waitFor({ timeout: 30_000 });
  const planPath = (await createdLink.getAttribute('href'))!;
  const planId = planPath.split('/').pop()!;
  await openUntil(page, planPath, 'the new plan in the read model', () =>
    page.locator('input[name="markup"]').isVisible(),
  );
  await page.locator('input[name="markup"]').fill('1.50');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('plan-saved').textContent()).resolves.toContain('Saved');
  await openUntil(page, planPath, 'the new monthly price', async () =>
    ((await page.getByTestId('plan-monthly').textContent()) ?? '').includes('$6.50'),
  );
  await shot(page, '12-plan-edit');
  await expectAccessible(page);

  // A server whose instance the provider never boots gets stuck; staff terminates it from the page.
  const fault = await fetch(`${simUrl}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ operation: 'createInstance', mode: 'stuck' }),
  });
  expect(fault.ok).toBe(true);
  const createdVps = await fetch(`${apiUrl}/organizations/${orgId}/vps`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${customer.token}`,
      'idempotency-key': 'journey-web-1',
    },
    body: JSON.stringify({
      label: 'journey-1',
      planId,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Correct-Horse-42-Battery',
    }),
  });
  expect(createdVps.status).toBe(202);
  const vpsId = ((await createdVps.json()) as { id: string }).id;
  const stuckItem = page.locator(
    `[data-testid="provisioning-item"][data-vps-id="${vpsId}"][data-state="stuck"]`,
  );
  await waitFor(
    'the server listed as stuck',
    async () => {
      await page.goto(`${webUrl}/admin/provisioning`);
      return {
        value: (await stuckItem.count()) > 0 ? true : undefined,
        seen: await page.locator('main').innerText(),
      };
    },
    60_000,
    1000,
  );
  expect(await stuckItem.getByTestId('temporal-link').getAttribute('href')).toContain(vpsId);
  await shot(page, '09-provisioning-stuck');
  await expectAccessible(page);
  await page.getByTestId(`terminate-${vpsId}-open`).click();
  const confirm = page.getByTestId(`terminate-${vpsId}-confirm`);
  expect(await confirm.isDisabled()).toBe(true); // a reason first
  await page.getByTestId(`terminate-${vpsId}-reason`).fill('Journey: the provider holds the instance');
  await shot(page, '09-provisioning-terminate-dialog');
  await expectAccessible(page);
  await confirm.click();
  await page.getByTestId('provisioning-done').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('provisioning-done').textContent()).toContain('Provisioning terminated');

  // Projections: every one listed with its status and lag.
  await openUntil(page, '/admin/projections', 'the projections listed', async () => {
    return (await page.locator('[data-testid="projection"]').count()) > 0;
  });
  const names = await page
    .locator('[data-testid="projection"]')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
  expect(names).toEqual(expect.arrayContaining(['wallets', 'wallet-transactions', 'event-log']));
  await shot(page, '10-projections');
  await expectAccessible(page);

  // Rebuild one (a small one) from its dialog; it swaps in and runs again.
  await page.getByTestId('rebuild-plans-open').click();
  await page.getByTestId('rebuild-plans-reason').fill('Journey: rebuild check');
  await page.getByTestId('rebuild-plans-confirm').click();
  await page.getByTestId('rebuild-started').waitFor({ timeout: 30_000 });
  const plansRow = page.locator('[data-testid="projection"][data-name="plans"]');
  await openUntil(page, '/admin/projections', 'the plans projection rebuilt and running', async () => {
    const text = (await plansRow.textContent()) ?? '';
    return (await plansRow.getAttribute('data-status')) === 'running' && text.includes('completed');
  });

  // The mail outbox: the customer's welcome mail, delivered (to the stack's Mailpit), with its recipient.
  await openUntil(page, '/admin/mail', 'the welcome mail listed as sent', async () => {
    const sent = page.locator('[data-testid="mail-row"][data-template="welcome"][data-status="sent"]');
    return (await sent.count()) > 0;
  });
  expect(await page.getByTestId('mail-outbox').textContent()).toContain(CUSTOMER.email);
  await shot(page, '14-mail');
  await expectAccessible(page);

  // The remaining pages, for the record.
  await page.goto(`${webUrl}/admin/users?q=${encodeURIComponent('example.com')}`);
  expect(await page.getByTestId('user-results').textContent()).toContain(CUSTOMER.email);
  await shot(page, '11-users');
  await expectAccessible(page);
  await openUntil(page, '/admin/plans', 'the plan listed', async () =>
    ((await page.getByTestId('plans').textContent()) ?? '').includes('Journey Nano'),
  );
  await shot(page, '12-plans');
  await expectAccessible(page);

  // Deactivate the plan, confirming in the dialog.
  await page.goto(`${webUrl}${planPath}`);
  await page.getByTestId('plan-deactivate-open').click();
  await page.getByTestId('plan-deactivate-confirm').click();
  await expect(page.getByTestId('plan-saved').textContent()).resolves.toContain('deactivated');

  // A narrow screen still reaches every section.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${webUrl}/admin/organizations/${orgId}`);
  await page.getByTestId('credit-form').waitFor();
  await shot(page, '13-organization-mobile');
  await expectAccessible(page);

  // A customer never sees the staff area: 404.
  const customerContext = await browser.newContext();
  await customerContext.addCookies([
    { name: SESSION_COOKIE, value: customer.token, url: webUrl, httpOnly: true, sameSite: 'Lax' },
  ]);
  const customerPage = await customerContext.newPage();
  const refused = await customerPage.goto(`${webUrl}/admin/organizations/${orgId}`);
  expect(refused?.status()).toBe(404);
  const refusedExport = await customerPage.request.get(`${webUrl}/admin/events/export`);
  expect(refusedExport.status()).toBe(404);
  // Form actions skip the layout's load: posting the credit form directly is refused too, and credits nothing.
  const refusedCredit = await customerPage.request.post(`${webUrl}/admin/organizations/${orgId}?/credit`, {
    form: { amount: '1000.00', reason: 'Self-service', idempotencyKey: 'customer-try' },
    headers: { origin: webUrl },
  });
  expect(refusedCredit.status()).toBe(404);

  // The customer's mail settings, on a phone, from the menu: one optional mail turned off with the keyboard.
  await customerPage.setViewportSize({ width: 390, height: 844 });
  await customerPage.goto(`${webUrl}/dashboard`);
  // A click before the page has hydrated toggles nothing: click until the menu is open.
  const menuButton = customerPage.getByRole('button', { name: 'Menu' });
  await waitFor(
    'the phone menu to open',
    async () => {
      const open = (await menuButton.getAttribute('aria-expanded')) === 'true';
      if (!open) await menuButton.click();
      return { value: open || undefined, seen: { open } };
    },
    30_000,
    500,
  );
  await Promise.all([
    customerPage.waitForURL((url) => url.pathname === '/account/notifications', { timeout: 60_000 }),
    customerPage.getByRole('link', { name: 'Mail settings' }).click(),
  ]);
  await customerPage
    .getByTestId('mail-preferences-form')
    .waitFor({ timeout: 60_000 })
    .catch(async (error: Error) => {
      // What the page showed instead, for the failure report.
      const text = await customerPage
        .locator('main')
        .innerText()
        .catch(() => '');
      throw new Error(`${error.message}\n--- ${customerPage.url()} ---\n${text}`);
    });
  expect(await customerPage.getByTestId('always-sent').textContent()).toContain('new password');
  const lowBalance = customerPage.locator('[data-testid="mail-preference"][data-mail="low_balance"]');
  expect(await lowBalance.isChecked()).toBe(true);
  await lowBalance.focus();
  await customerPage.keyboard.press('Space');
  expect(await lowBalance.isChecked()).toBe(false);
  await customerPage.getByRole('button', { name: 'Save mail preferences' }).focus();
  await customerPage.keyboard.press('Enter');
  await customerPage.getByTestId('mail-preferences-saved').waitFor();
  await shot(customerPage, '15-mail-settings-mobile');
  await expectAccessible(customerPage);
  await customerPage.reload();
  expect(await lowBalance.isChecked()).toBe(false);
  expect(
    await customerPage.locator('[data-testid="mail-preference"][data-mail="server_active"]').isChecked(),
  ).toBe(true);
  await customerContext.close();
  await page.goto(`${webUrl}/admin/organizations/${orgId}`);
  expect(await page.getByTestId('wallet-balance').textContent()).toContain('$25.00');

  // ---- backups and firewall (issue 15) ----
  // The default firewall policy: a line it cannot read is refused beside the field, what was typed kept; a good
  // policy is saved (and given to the platform's firewall at the provider).
  await page.goto(`${webUrl}/admin/firewall`);
  await page.getByTestId('firewall-policy-form').waitFor();
  await expectAccessible(page);
  await page.locator('#field-defaultInbound').selectOption('DROP');
  await page.locator('#field-rules').fill('TCP 22 0.0.0.0/0 ::/0\nGRE 0.0.0.0/0');
  await page.getByTestId('save-firewall-policy').click();
  await page.getByTestId('error-rules').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('error-rules').textContent()).toMatch(/^Line 2/);
  expect(await page.locator('#field-rules').inputValue()).toContain('GRE');
  await expectAccessible(page);
  await page.locator('#field-rules').fill('TCP 22 0.0.0.0/0 ::/0\nICMP 0.0.0.0/0');
  await page.getByTestId('save-firewall-policy').click();
  await page.getByTestId('firewall-policy-notice').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('firewall-policy-notice').textContent()).toContain(
    '2 rules, the default DROP',
  );
  await shot(page, '16-firewall-policy');
  await expectAccessible(page);
});
