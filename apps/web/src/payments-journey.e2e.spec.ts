/**
 * Customers pay, end to end: `start.js` (api, workers, web, the PayPal simulator and stripe-mock it starts itself) and
 * Debian's Chromium. A customer adds $20 through the PayPal simulator's approval page and comes back to a receipt and
 * a balance that arrive without a reload; staff find the payment in the staff pages and refund part of it through the
 * provider, and the customer's balance follows without a reload. Every portal page visited passes the WCAG 2.1 AA
 * check. (The card top-up by a signed Stripe webhook is not here yet: creating a Checkout Session against the
 * launcher's stripe-mock is refused by the API's Stripe adapter.)
 */
import { join, resolve } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
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
const CUSTOMER = { email: 'grace@example.com', password: 'a-long-password-42', name: 'Grace Hopper' };

let stack: Stack | undefined;
let call: ApiCall;
let webUrl: string;
let browser: Browser | null = null;
const shot = screenshots(join(RESULTS_ROOT, 'payments'));

beforeAll(async () => {
  ensureWebBuild(REPO_ROOT, WEB_ROOT);
  stack = await startStack({
    name: 'payments-journey',
    env: {
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
    },
  });
  webUrl = stack.urls.web;
  call = apiCall(stack.urls.api);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await stack?.stop();
});

async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { __journeyMark: number }).__journeyMark = 42));
}
async function stillSameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { __journeyMark?: number }).__journeyMark === 42);
}

async function textOf(page: Page, testid: string): Promise<string> {
  // What is there now (no waiting for the element: the callers poll).
  const found = page.getByTestId(testid);
  return (await found.count()) ? ((await found.first().textContent()) ?? '') : '';
}

async function logIn(page: Page, who: { email: string; password: string }, next: string): Promise<void> {
  await page.goto(`${webUrl}/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="email"]').fill(who.email);
  await page.locator('input[name="password"]').fill(who.password);
  await Promise.all([
    page.waitForURL((url) => url.pathname === next, { timeout: 30_000 }),
    page.getByTestId('login-submit').click(),
  ]);
}

async function addFunds(page: Page, amount: string, provider: 'paypal' | 'stripe'): Promise<void> {
  await page.goto(`${webUrl}/billing`);
  await page.getByTestId('add-funds-form').waitFor();
  await expectAccessible(page);
  await page.locator('input[name="amount"]').fill(amount);
  await page.getByTestId(`provider-${provider}`).check();
  await page.getByTestId('add-funds-submit').click();
  await waitFor(
    "the provider's page",
    async () => {
      const left = new URL(page.url()).host !== new URL(webUrl).host;
      const refused = left ? '' : await textOf(page, 'add-funds-error');
      if (refused) throw new Error(`Add funds was refused: ${refused}`);
      return { value: left ? true : undefined, seen: page.url() };
    },
    30_000,
  );
  await page.waitForLoadState();
}

test('a PayPal top-up approved on the simulator shows its receipt and balance live; staff refund part of it', async () => {
  const registered = await call('POST', '/auth/register', { body: CUSTOMER });
  expect(registered.status).toBe(201);
  const customerToken = registered.body.token as string;
  const orgId = registered.body.organization.id as string;

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await logIn(page, CUSTOMER, '/billing');

  // PayPal: the simulator's approval page, Approve, back to the portal's return page.
  await addFunds(page, '20.00', 'paypal');
  expect(new URL(page.url()).origin).toBe(new URL(stack!.urls.paypal).origin);
  expect(await page.getByTestId('amount').textContent()).toContain('20.00 USD');
  await shot(page, '01-paypal-approval');
  await Promise.all([
    page.waitForURL((url) => url.origin === webUrl && url.pathname.endsWith('/return'), { timeout: 30_000 }),
    page.getByRole('button', { name: 'Approve' }).click(),
  ]);
  await markDocument(page);
  await waitFor(
    'the receipt and the new balance on the return page',
    async () => {
      const status = await page
        .getByTestId('payment-result')
        .getAttribute('data-status')
        .catch(() => null);
      const balance = await textOf(page, 'balance');
      const seen = { status, balance, receipt: await textOf(page, 'receipt-amount') };
      return { value: status === 'captured' && balance.includes('$20.00') ? seen : undefined, seen };
    },
    30_000,
  );
  expect(await textOf(page, 'receipt-amount')).toContain('$20.00');
  expect(await stillSameDocument(page)).toBe(true);
  await shot(page, '02-paypal-return');
  await expectAccessible(page);
  const paypalPaymentId = new URL(page.url()).pathname.split('/')[3];

  // The history lists it, paid.
  await page.goto(`${webUrl}/billing`);
  await page.getByTestId('payments').waitFor();
  const statuses = await page
    .getByTestId('payment-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
  expect(statuses).toEqual(['captured']);
  await expectAccessible(page);
  await shot(page, '04-billing');

  // Staff: the payments list, the PayPal payment's detail with its events, a partial refund.
  const staff = await context.browser()!.newContext({ viewport: { width: 1280, height: 900 } });
  const staffPage = await staff.newPage();
  await logIn(staffPage, ADMIN, '/admin');
  await staffPage.goto(`${webUrl}/admin/payments?status=captured&provider=paypal`);
  await staffPage.getByTestId('admin-payment-row').first().waitFor();
  await expectAccessible(staffPage);
  await shot(staffPage, '05-staff-payments');
  await staffPage.goto(`${webUrl}/admin/payments/${paypalPaymentId}`);
  await staffPage.getByTestId('payment-events').waitFor();
  await expectAccessible(staffPage);
  await staffPage.getByTestId('refund-open').click();
  const dialog = staffPage.getByTestId('refund-dialog');
  await dialog.locator('input[name="amount"]').fill('5.00');
  await dialog.locator('input[name="reason"]').fill('Customer asked within 14 days');
  await expectAccessible(staffPage);
  await shot(staffPage, '06-refund-dialog');
  await dialog.getByTestId('refund-confirm').click();
  await staffPage.getByTestId('refund-success').waitFor({ timeout: 30_000 });
  // The staff pages read the payments read model: reload until it has the refund.
  await waitFor(
    'the refund on the payment page',
    async () => {
      await staffPage.goto(`${webUrl}/admin/payments/${paypalPaymentId}`);
      const refunded = await textOf(staffPage, 'refunded-amount');
      return { value: refunded.includes('$5.00') ? refunded : undefined, seen: refunded };
    },
    30_000,
    500,
  );
  await expectAccessible(staffPage);
  await shot(staffPage, '07-refunded');
  await staff.close();

  // The customer's balance follows the refund without a reload.
  await markDocument(page);
  await waitFor(
    'the balance after the refund',
    async () => {
      const balance = await textOf(page, 'balance');
      return { value: balance.includes('$15.00') ? balance : undefined, seen: balance };
    },
    30_000,
  );
  expect(await stillSameDocument(page)).toBe(true);
  expect(pageErrors).toEqual([]);
});
