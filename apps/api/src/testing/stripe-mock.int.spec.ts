import { startStripeMock, type StripeMock } from '@stratus/infra/testing';
import Stripe from 'stripe';

// The smoke test of what payments rely on: stripe-mock answers the official library, validates what it is sent,
// and the library's own test-header helper signs webhooks its constructEvent accepts.
let mock: StripeMock;
let stripe: Stripe;
const WEBHOOK_SECRET = 'whsec_stratus_test';

beforeAll(async () => {
  mock = await startStripeMock();
  stripe = new Stripe('sk_test_stratus', {
    host: mock.host,
    port: mock.port,
    protocol: 'http',
    maxNetworkRetries: 0,
  });
});

afterAll(async () => {
  await mock?.stop();
});

test('stripe-mock creates a Checkout Session for the official library and refuses a malformed one', async () => {
  const session = await stripe.checkout.sessions.create(
    {
      mode: 'payment',
      success_url: 'http://localhost:5173/billing/return?provider=stripe&session_id={CHECKOUT_SESSION_ID}',
      cancel_url: 'http://localhost:5173/billing/cancelled',
      client_reference_id: 'pay_1',
      metadata: { paymentId: 'pay_1' },
      line_items: [
        {
          quantity: 1,
          price_data: { currency: 'usd', unit_amount: 2000, product_data: { name: 'Wallet top-up' } },
        },
      ],
    },
    { idempotencyKey: 'pay_1-session' },
  );
  expect(session.object).toBe('checkout.session');
  expect(session.id).toMatch(/^cs_/);

  await expect(
    stripe.checkout.sessions.create({ mode: 'no-such-mode' as Stripe.Checkout.SessionCreateParams.Mode }),
  ).rejects.toMatchObject({ type: 'StripeInvalidRequestError' });
});

test('a webhook signed with generateTestHeaderString passes constructEvent; a changed, stale or foreign one does not', () => {
  const payload = JSON.stringify({
    id: 'evt_1',
    object: 'event',
    type: 'checkout.session.completed',
    data: { object: { id: 'cs_test_1', object: 'checkout.session', amount_total: 2000, currency: 'usd' } },
  });
  const header = stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET });
  const event = stripe.webhooks.constructEvent(payload, header, WEBHOOK_SECRET, 300);
  expect(event.type).toBe('checkout.session.completed');
  expect(event.id).toBe('evt_1');

  expect(() =>
    stripe.webhooks.constructEvent(payload.replace('2000', '200000'), header, WEBHOOK_SECRET, 300),
  ).toThrow(Stripe.errors.StripeSignatureVerificationError);
  const stale = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: WEBHOOK_SECRET,
    timestamp: Math.floor(Date.now() / 1000) - 301,
  });
  expect(() => stripe.webhooks.constructEvent(payload, stale, WEBHOOK_SECRET, 300)).toThrow(
    Stripe.errors.StripeSignatureVerificationError,
  );
  expect(() => stripe.webhooks.constructEvent(payload, header, 'whsec_other', 300)).toThrow(
    Stripe.errors.StripeSignatureVerificationError,
  );
});
