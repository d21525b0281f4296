/**
 * Customers pay, end to end: `start.js` (api, workers, web, the PayPal simulator and stripe-mock it starts itself) and
 * Debian's Chromium. A customer adds $20 through the PayPal simulator's approval page and comes back to a receipt and
 * a balance that arrive without a reload; a card top-up waits on its return page until a Stripe webhook, signed here
 * with the `stripe` library's test header, completes it (again without a reload); the PayPal receipt downloads from
 * the invoices page as a PDF whose text is checked; staff find the PayPal payment in the staff pages and refund part
 * of it through the provider, and the customer's balance follows without a reload. Every portal page visited passes
 * the WCAG 2.1 AA check.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Stripe from 'stripe';
import { type Browser, type Page } from 'playwright-core';
import {
  apiCall,
  pdfText,
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
const STRIPE_WEBHOOK_SECRET = 'whsec_payments_journey';
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
      STRIPE_WEBHOOK_SECRET,
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

test('a PayPal top-up approved on the simulator and a card top-up completed by a signed webhook show their receipts and balance live; staff refund part of one', async () => {
  const registered = await call('POST', '/auth/register', { body: CUSTOMER });
  expect(registered.status).toBe(201);
  const customerToken = registered.body.token as string;
  const orgId = registered.body.organization.id as string;

  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // stripe-mock answers with Stripe's hosted checkout address: the browser never leaves for the real Stripe.
  await context.route(
    (url) => url.protocol === 'https:',
    (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><html lang="en"><title>Stripe Checkout</title><h1>Stripe Checkout</h1></html>',
      }),
  );
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

  // Card: stripe-mock's checkout, back to the return page (pending) until the signed webhook completes it.
  await addFunds(page, '15.50', 'stripe');
  const payments = await call('GET', `/organizations/${orgId}/payments`, { token: customerToken });
  const card = (payments.body.items as Json[]).find((p) => p.provider === 'stripe');
  expect(card).toMatchObject({ status: 'initiated', amount: '15.500000' });
  await page.goto(`${webUrl}/billing/payments/${card.paymentId}/return`);
  await page.getByTestId('payment-pending').waitFor({ timeout: 30_000 });
  await expectAccessible(page);
  await markDocument(page);
  // The Checkout Session stripe-mock made for it (only that session may settle the payment), as staff see it.
  const adminToken = (await call('POST', '/auth/login', { body: ADMIN })).body.token as string;
  const stream = await call('GET', `/admin/streams/payment-${card.paymentId}`, { token: adminToken });
  const sessionId = (stream.body.events as Json[]).find((e) => e.data?.providerOrderId)?.data
    .providerOrderId as string;
  expect(sessionId).toMatch(/^cs_/);
  const payload = JSON.stringify({
    id: `evt_journey_${card.paymentId.slice(0, 8)}`,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: sessionId,
        object: 'checkout.session',
        client_reference_id: card.paymentId,
        metadata: { paymentId: card.paymentId },
        payment_status: 'paid',
        status: 'complete',
        amount_total: 1550,
        currency: 'usd',
        payment_intent: `pi_journey_${card.paymentId.slice(0, 8)}`,
      },
    },
  });
  const stripe = new Stripe('sk_test_paymentsJourney');
  const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_WEBHOOK_SECRET });
  const delivered = await fetch(`${stack!.urls.api}/webhooks/stripe`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body: payload,
  });
  expect(delivered.status).toBe(200);
  await waitFor(
    'the card payment completed on its return page',
    async () => {
      const status = await page.getByTestId('payment-result').getAttribute('data-status');
      const balance = await textOf(page, 'balance');
      return {
        value: status === 'captured' && balance.includes('$35.50') ? true : undefined,
        seen: { status, balance },
      };
    },
    30_000,
  );
  expect(await stillSameDocument(page)).toBe(true);
  await shot(page, '03-card-return');

  // The history lists both, paid.
  await page.goto(`${webUrl}/billing`);
  await page.getByTestId('payments').waitFor();
  const statuses = await page
    .getByTestId('payment-row')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
  expect(statuses).toEqual(['captured', 'captured']);
  await expectAccessible(page);
  await shot(page, '04-billing');

  // The receipts: from the billing page to the invoices, where the PayPal top-up's receipt downloads as a PDF.
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/billing/invoices'),
    page.getByTestId('billing-invoices').click(),
  ]);
  const receipt = await waitFor(
    'the $20.00 receipt in the invoices list',
    async () => {
      await page.goto(`${webUrl}/billing/invoices`);
      const rows = await page
        .getByTestId('invoice-row')
        .evaluateAll((found) =>
          found.map((r) => ({ number: r.getAttribute('data-number'), text: r.textContent })),
        );
      return { value: rows.find((r) => r.text?.includes('$20.00')), seen: rows };
    },
    30_000,
    500,
  );
  await expectAccessible(page);
  await shot(page, '04b-invoices');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page
      .getByTestId('invoice-row')
      .filter({ hasText: receipt.number! })
      .getByRole('link', { name: /PDF/ })
      .click(),
  ]);
  const pdf = await readFile((await download.path())!);
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  const text = await pdfText(pdf);
  expect(text).toContain(receipt.number);
  expect(text).toContain('20.00');
  // Back to the billing page, whose balance the staff refund below must update live.
  await page.goto(`${webUrl}/billing`);
  await page.getByTestId('balance').waitFor();

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
      return { value: balance.includes('$30.50') ? balance : undefined, seen: balance };
    },
    30_000,
  );
  expect(await stillSameDocument(page)).toBe(true);
  expect(pageErrors).toEqual([]);
});
