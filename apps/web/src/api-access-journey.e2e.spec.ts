/**
 * API access and staff impersonation, end to end: `start.js` (api, workers, web, Mailpit) and Debian's Chromium. A
 * customer creates an API key on /account/api-keys, a script uses it with fetch (it works on the organization's
 * routes, is refused on /api/admin), the customer revokes it (then 401). Staff impersonate the customer from the
 * staff user page with a reason, see the banner on every page, are refused a payment, stop, and are back in their
 * own session; the customer gets the staff-access mail in Mailpit. Every page visited passes the WCAG 2.1 AA check,
 * at desktop and phone width.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { mailpitClient, startStack, waitFor, type Stack } from '../../../infra/src/testing';
import { expectAccessible } from './test-support/accessibility';
import { launchChromium, RESULTS_ROOT, screenshots } from './test-support/browser';
import { ensureWebBuild } from './test-support/web-build';

jest.setTimeout(300_000);

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const WEB_ROOT = resolve(__dirname, '..');
const ADMIN_EMAIL = 'ops@stratus.test';
const CUSTOMER = { email: 'kai@example.com', password: 'correct-horse-battery', name: 'Kai Customer' };
const REASON = 'Ticket 4821: the customer cannot top up';

let stack: Stack | undefined;
let apiUrl: string;
let webUrl: string;
let browser: Browser | null = null;
const shot = screenshots(join(RESULTS_ROOT, 'api-access'));

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({ name: 'api-access-journey', env: { ADMIN_EMAIL } });
  apiUrl = stack.urls.api;
  webUrl = stack.urls.web;
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(`${webUrl}${path}`);
  await expectAccessible(page);
}

async function logIn(page: Page, email: string, password: string, next: string): Promise<void> {
  await page.goto(`${webUrl}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === next, { timeout: 30_000 }),
    page.getByTestId('login-submit').click(),
  ]);
}

/** What a script does with the key: a plain fetch with the bearer header. */
async function withKey(key: string, path: string): Promise<number> {
  const response = await fetch(`${apiUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  await response.body?.cancel();
  return response.status;
}

/** On failure: each page's screenshot, URL and text, and the launcher's last output, with the error. */
async function explained(pages: () => Page[], run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (error) {
    const seen: string[] = [];
    for (const [index, page] of pages().entries()) {
      await shot(page, `failure-${index}`).catch(() => undefined);
      const text = await page
        .locator('main')
        .innerText()
        .catch(() => '');
      seen.push(`--- page ${index}: ${page.url()} ---\n${text.slice(0, 1500)}`);
    }
    throw new Error(
      `${(error as Error).message}\n${seen.join('\n')}\n--- start.js (tail) ---\n${stack!.output().slice(-3000)}`,
    );
  }
}

test('an API key is created, used, refused on /api/admin and revoked; staff impersonate, are refused a payment, stop; the customer is mailed', async () => {
  const pages: Page[] = [];
  await explained(
    () => pages,
    () => journey(pages),
  );
});

async function journey(pages: Page[]): Promise<void> {
  const registered = await fetch(`${apiUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(CUSTOMER),
  });
  expect(registered.status).toBe(201);
  const customer = (await registered.json()) as { user: { id: string }; organization: { id: string } };
  const orgId = customer.organization.id;

  browser = await launchChromium();
  const customerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  customerContext.setDefaultTimeout(20_000);
  const page = await customerContext.newPage();
  pages.push(page);

  // The customer creates a key that may list servers, from the account pages, by keyboard.
  await logIn(page, CUSTOMER.email, CUSTOMER.password, '/account');
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/account/api-keys'),
    page.getByTestId('api-keys-link').click(),
  ]);
  await expectAccessible(page);
  await page.locator('input[name="name"]').fill('Inventory script');
  await page.locator('[data-permission="vps_view"]').focus();
  await page.keyboard.press('Space');
  await page.getByTestId('api-key-expiry').selectOption('30');
  await page.getByTestId('create-api-key').click();
  const key = await page.getByTestId('new-api-key-value').inputValue();
  expect(key).toMatch(/^stx_[0-9a-f]{12}_[0-9a-f]{64}$/);
  await expectAccessible(page);
  await shot(page, '01-key-created');

  // A script uses it: the organization's servers yes, the staff API no.
  expect(await withKey(key, `/organizations/${orgId}/vps`)).toBe(200);
  expect(await withKey(key, '/admin/users')).toBe(403);
  expect(await withKey(key, '/me')).toBe(403);

  // Listed by its prefix, never in full; revoked from the list, after which it is refused.
  const prefix = key.slice(4, 16);
  await waitFor(
    'the key listed',
    async () => {
      await page.goto(`${webUrl}/account/api-keys`);
      const listed = await page.locator(`[data-testid="api-key"][data-prefix="${prefix}"]`).count();
      return { value: listed === 1 ? true : undefined, seen: listed };
    },
    30_000,
    500,
  );
  expect(await page.locator('main').innerText()).not.toContain(key);
  await page.setViewportSize({ width: 390, height: 844 });
  await expectAccessible(page);
  await shot(page, '02-keys-phone');
  await page.getByTestId(`revoke-${prefix}-open`).click();
  await page.getByTestId(`revoke-${prefix}-confirm`).click();
  await page.getByTestId('api-keys-notice').waitFor();
  await expectAccessible(page);
  expect(await withKey(key, `/organizations/${orgId}/vps`)).toBe(401);
  await page.setViewportSize({ width: 1280, height: 900 });

  // Staff impersonate the customer from the staff user page, with a reason.
  const staffContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  staffContext.setDefaultTimeout(20_000);
  const staff = await staffContext.newPage();
  pages.push(staff);
  const secrets = JSON.parse(readFileSync(join(stack!.dataDir, 'secrets.json'), 'utf8')) as {
    ADMIN_PASSWORD: string;
  };
  await logIn(staff, ADMIN_EMAIL, secrets.ADMIN_PASSWORD, '/admin');
  await waitFor(
    'the customer in the staff directory',
    async () => {
      await staff.goto(`${webUrl}/admin/users/${customer.user.id}`);
      const ready = await staff.getByTestId('impersonate-open').count();
      return { value: ready === 1 ? true : undefined, seen: staff.url() };
    },
    30_000,
    500,
  );
  await expectAccessible(staff);
  await staff.getByTestId('impersonate-open').click();
  await staff.getByTestId('impersonate-reason').fill(REASON);
  await Promise.all([
    staff.waitForURL((url) => url.pathname === '/dashboard', { timeout: 30_000 }),
    staff.getByTestId('impersonate-confirm').click(),
  ]);
  const banner = staff.getByTestId('impersonation-banner');
  expect(await banner.innerText()).toContain(`You are impersonating ${CUSTOMER.email}`);
  await expectAccessible(staff);
  await shot(staff, '03-impersonating');

  // The banner is on every page; a payment is refused with a clear message.
  await visit(staff, '/billing');
  await banner.waitFor();
  await staff.locator('input[name="amount"]').fill('20.00');
  await staff.getByTestId('provider-paypal').check();
  await staff.getByTestId('add-funds-submit').click();
  const refusal = await staff.getByTestId('add-funds-error').innerText();
  expect(refusal).toContain('Not while impersonating');
  await expectAccessible(staff);
  await shot(staff, '04-payment-refused');
  await staff.setViewportSize({ width: 390, height: 844 });
  await visit(staff, '/account');
  await banner.waitFor();
  await shot(staff, '05-banner-phone');

  // Stop: back on the staff user page, in the staff member's own session.
  await Promise.all([
    staff.waitForURL((url) => url.pathname === `/admin/users/${customer.user.id}`, { timeout: 30_000 }),
    staff.getByTestId('stop-impersonating').click(),
  ]);
  expect(await banner.count()).toBe(0);
  await staff.getByTestId('impersonate-open').waitFor();
  await expectAccessible(staff);

  // The customer is told: when, why.
  const mailpit = mailpitClient(stack!.urls.mailpit);
  const mail = await waitFor(
    'the staff-access mail in Mailpit',
    async () => {
      const received = await mailpit.messagesTo(CUSTOMER.email);
      const found = received.find((m) => m.Subject === 'A staff member accessed your Stratus account');
      return { value: found, seen: received.map((m) => m.Subject) };
    },
    60_000,
    500,
  );
  const text = (await mailpit.message(mail.ID)).Text;
  expect(text).toContain(`because: ${REASON}`);
}
