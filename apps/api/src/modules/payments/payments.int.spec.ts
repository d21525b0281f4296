/**
 * Customer payments end to end over HTTP (real PostgreSQL, projections running): the return, the webhook and
 * their retries racing on one payment credit it once; forged, stale and malformed webhooks change nothing;
 * every route's security and bad input. The providers' order/capture side is an in-memory stand-in with
 * PayPal's idempotency semantics (the PayPal simulator and stripe-mock are not wired in here yet); Stripe
 * signatures are real (the `stripe` library's test header), PayPal's verify-webhook-signature is a local
 * HTTP stand-in that accepts one signature.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  providerAmountText,
  streams,
  type PaymentProvider,
  type PaymentProviderName,
  type ProviderCapture,
  type WalletEvent,
} from '@stratus/domain';
import Stripe from 'stripe';
import { startTestApi, TEST_ADMIN, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(120_000);

const STRIPE_WEBHOOK_SECRET = 'whsec_payments_test';
const GOOD_PAYPAL_SIGNATURE = 'signed-by-paypal';

/** Orders keyed by payment id (PayPal-Request-Id semantics): repeats answer the first order and the first capture. */
class FakeProvider implements PaymentProvider {
  readonly orders = new Map<string, { orderId: string; amount: bigint; approved: boolean }>();
  captureCalls = 0;
  refunds = new Map<string, string>();
  constructor(readonly name: PaymentProviderName) {}

  async createOrder(input: { paymentId: string; amount: bigint }) {
    await new Promise((resolve) => setImmediate(resolve));
    const order = this.orders.get(input.paymentId) ?? {
      orderId: `${this.name === 'stripe' ? 'cs_test_' : 'ORDER-'}${input.paymentId.slice(0, 8)}`,
      amount: input.amount,
      approved: false,
    };
    this.orders.set(input.paymentId, order);
    return { providerOrderId: order.orderId, redirectUrl: `https://approve.example/${order.orderId}` };
  }

  async capture(input: { paymentId: string }): Promise<ProviderCapture> {
    this.captureCalls += 1;
    await new Promise((resolve) => setImmediate(resolve));
    const order = this.orders.get(input.paymentId);
    if (!order) throw new Error('unknown order');
    if (!order.approved) return { status: 'pending', approved: false };
    return {
      status: 'captured',
      captureId: captureIdOf(input.paymentId),
      amount: providerAmountText(order.amount),
      currency: 'USD',
    };
  }

  async refund(input: { refundKey: string }) {
    const id = this.refunds.get(input.refundKey) ?? `REFUND-${this.refunds.size + 1}`;
    this.refunds.set(input.refundKey, id);
    return { refundId: id };
  }
}
const captureIdOf = (paymentId: string) => `CAP-${paymentId.slice(0, 8)}`;

let api: TestApi;
let paypalVerifier: Server;
const paypal = new FakeProvider('paypal');
const stripeProvider = new FakeProvider('stripe');
const stripe = new Stripe('sk_test_123');
let adminToken: string;
let counter = 0;

interface Customer {
  token: string;
  orgId: string;
  email: string;
}

async function customer(): Promise<Customer> {
  const email = `payer${++counter}@example.com`;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: `Payer ${counter}` },
  });
  expect({ status: reg.status, body: reg.body }).toMatchObject({ status: 201 });
  return { token: reg.body.token as string, orgId: reg.body.organization.id as string, email };
}

function createPayment(who: Customer, body: unknown, key: string | null = `key-${++counter}`) {
  return api.request('POST', `/api/organizations/${who.orgId}/payments`, {
    token: who.token,
    body,
    headers: key === null ? {} : { 'Idempotency-Key': key },
  });
}

async function walletEvents(orgId: string): Promise<WalletEvent[]> {
  const events = await api.eventStore.readStream(streams.wallet(orgId));
  return events.map((event) => ({ type: event.type, data: event.data }) as WalletEvent);
}

async function paymentCredits(orgId: string) {
  return (await walletEvents(orgId)).filter(
    (event) => event.type === 'WalletCredited' && event.data.source === 'payment',
  );
}

function stripeDelivery(payload: string, options: { secret?: string; timestamp?: number } = {}) {
  const header = stripe.webhooks.generateTestHeaderString({
    payload,
    secret: options.secret ?? STRIPE_WEBHOOK_SECRET,
    ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
  });
  return api.request('POST', '/api/webhooks/stripe', {
    rawBody: payload,
    headers: { 'Stripe-Signature': header },
  });
}

function sessionCompleted(eventId: string, paymentId: string, sessionId: string, cents: number) {
  return JSON.stringify({
    id: eventId,
    object: 'event',
    type: 'checkout.session.completed',
    created: Math.floor(Date.now() / 1000),
    data: {
      object: {
        id: sessionId,
        object: 'checkout.session',
        client_reference_id: paymentId,
        metadata: { paymentId },
        payment_status: 'paid',
        status: 'complete',
        amount_total: cents,
        currency: 'usd',
        payment_intent: `pi_${paymentId.slice(0, 8)}`,
      },
    },
  });
}

function paypalDelivery(event: unknown, signature = GOOD_PAYPAL_SIGNATURE) {
  return api.request('POST', '/api/webhooks/paypal', {
    body: event,
    headers: {
      'PAYPAL-AUTH-ALGO': 'SHA256withRSA',
      'PAYPAL-CERT-URL': 'https://api.paypal.example/v1/notifications/certs/CERT-1',
      'PAYPAL-TRANSMISSION-ID': `t-${++counter}`,
      'PAYPAL-TRANSMISSION-SIG': signature,
      'PAYPAL-TRANSMISSION-TIME': new Date().toISOString(),
    },
  });
}

function captureCompleted(eventId: string, paymentId: string, orderId: string, value: string) {
  return {
    id: eventId,
    event_version: '1.0',
    create_time: new Date().toISOString(),
    resource_type: 'capture',
    event_type: 'PAYMENT.CAPTURE.COMPLETED',
    summary: 'Payment completed',
    resource: {
      id: captureIdOf(paymentId),
      status: 'COMPLETED',
      amount: { currency_code: 'USD', value },
      custom_id: paymentId,
      supplementary_data: { related_ids: { order_id: orderId } },
    },
  };
}

/** PayPal's OAuth token and verify-webhook-signature: SUCCESS for one signature only. */
function startPayPalVerifier(): Promise<Server> {
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/oauth2/token') {
        res.end(JSON.stringify({ access_token: 'token-1', token_type: 'Bearer', expires_in: 32400 }));
        return;
      }
      if (req.url === '/v1/notifications/verify-webhook-signature') {
        const body = JSON.parse(text) as { transmission_sig?: string; webhook_id?: string };
        const ok = body.transmission_sig === GOOD_PAYPAL_SIGNATURE && body.webhook_id === 'WH-TEST';
        res.end(JSON.stringify({ verification_status: ok ? 'SUCCESS' : 'FAILURE' }));
        return;
      }
      res.statusCode = 404;
      res.end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  paypalVerifier = await startPayPalVerifier();
  const { port } = paypalVerifier.address() as AddressInfo;
  api = await startTestApi({
    configOverrides: {
      payments: {
        paypal: {
          apiUrl: `http://127.0.0.1:${port}`,
          clientId: 'client',
          clientSecret: 'secret',
          webhookId: 'WH-TEST',
        },
        stripe: {
          apiUrl: 'http://127.0.0.1:9',
          secretKey: 'sk_test_123',
          webhookSecret: STRIPE_WEBHOOK_SECRET,
        },
        limits: { min: 5_000_000n, max: 1_000_000_000n, daily: 1_500_000_000n },
        portalUrl: 'https://portal.example',
        providers: { paypal, stripe: stripeProvider },
      },
    },
  });
  const login = await api.request('POST', '/api/auth/login', { body: TEST_ADMIN });
  adminToken = login.body.token as string;
});

afterAll(async () => {
  await api?.close();
  await new Promise((resolve) => paypalVerifier?.close(resolve));
});

describe('payments', () => {
  test('a PayPal payment: 50 returns and 50 webhook deliveries racing credit it once, with the provider amount', async () => {
    const who = await customer();
    const created = await createPayment(who, { provider: 'paypal', amount: '20.00' }, 'race-1');
    expect({ status: created.status, body: created.body }).toMatchObject({
      status: 201,
      body: {
        provider: 'paypal',
        status: 'initiated',
        redirectUrl: expect.stringContaining('https://approve.example/'),
      },
    });
    const { paymentId } = created.body as { paymentId: string };
    const again = await createPayment(who, { provider: 'paypal', amount: '20.00' }, 'race-1');
    expect({ status: again.status, paymentId: again.body.paymentId }).toEqual({ status: 201, paymentId });
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    // Before approval the return answers the payment as it is and credits nothing.
    const early = await api.request('POST', `/api/organizations/${who.orgId}/payments/${paymentId}/capture`, {
      token: who.token,
    });
    expect({ status: early.status, body: early.body }).toMatchObject({
      status: 200,
      body: { status: 'initiated' },
    });

    paypal.orders.get(paymentId)!.approved = true;
    const orderId = paypal.orders.get(paymentId)!.orderId;
    const returns = Array.from({ length: 50 }, () =>
      api.request('POST', `/api/organizations/${who.orgId}/payments/${paymentId}/capture`, {
        token: who.token,
      }),
    );
    // 50 deliveries over 10 event ids: PayPal redelivers the same event, and sends several for one capture.
    const webhooks = Array.from({ length: 50 }, (_, i) =>
      paypalDelivery(captureCompleted(`WH-EVT-${i % 10}`, paymentId, orderId, '20.00')),
    );
    const answers = await Promise.all([...returns, ...webhooks]);
    for (const answer of answers)
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200 });
    for (const answer of answers.slice(0, 50))
      expect(answer.body).toMatchObject({ status: 'captured', capturedAmount: '20.000000' });

    const credits = await paymentCredits(who.orgId);
    expect(credits).toHaveLength(1);
    expect(credits[0]!.data).toMatchObject({
      amount: '20.000000',
      reference: captureIdOf(paymentId),
      source: 'payment',
    });
    const payment = await api.eventStore.readStream(streams.payment(paymentId));
    expect(payment.filter((event) => event.type === 'PaymentCaptured')).toHaveLength(1);

    const read = await api.request('GET', `/api/organizations/${who.orgId}/payments/${paymentId}`, {
      token: who.token,
    });
    expect(read.body).toMatchObject({ status: 'captured', amount: '20.000000', capturedAmount: '20.000000' });
  });

  test('a card payment completes by signed Stripe webhooks: 50 deliveries racing credit once; forged, stale and malformed ones change nothing', async () => {
    const who = await customer();
    const created = await createPayment(who, { provider: 'stripe', amount: '12.50' });
    expect(created.status).toBe(201);
    const { paymentId } = created.body as { paymentId: string };
    const sessionId = stripeProvider.orders.get(paymentId)!.orderId;

    const count = await api.eventCount();
    const forged = await stripeDelivery(sessionCompleted('evt_forged', paymentId, sessionId, 1250), {
      secret: 'whsec_someone_else',
    });
    const stale = await stripeDelivery(sessionCompleted('evt_stale', paymentId, sessionId, 1250), {
      timestamp: Math.floor(Date.now() / 1000) - 301,
    });
    const unsigned = await api.request('POST', '/api/webhooks/stripe', {
      rawBody: sessionCompleted('evt_unsigned', paymentId, sessionId, 1250),
    });
    const payload = sessionCompleted('evt_altered', paymentId, sessionId, 1250);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: STRIPE_WEBHOOK_SECRET });
    const altered = await api.request('POST', '/api/webhooks/stripe', {
      rawBody: payload.replace('1250', '99999'),
      headers: { 'Stripe-Signature': header },
    });
    const malformed = await api.request('POST', '/api/webhooks/stripe', {
      rawBody: '{"id": "evt_1", ',
      headers: { 'Stripe-Signature': header },
    });
    for (const answer of [forged, stale, unsigned, altered, malformed]) {
      expect({ status: answer.status, error: answer.body?.error }).toMatchObject({ status: 400 });
    }
    expect(await api.eventCount()).toBe(count);

    const deliveries = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        stripeDelivery(sessionCompleted(`evt_completed_${i % 5}`, paymentId, sessionId, 1250)),
      ),
    );
    for (const answer of deliveries)
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200 });
    const credits = await paymentCredits(who.orgId);
    expect(credits).toHaveLength(1);
    expect(credits[0]!.data).toMatchObject({ amount: '12.500000', reference: `pi_${paymentId.slice(0, 8)}` });
    const duplicate = await stripeDelivery(sessionCompleted('evt_completed_0', paymentId, sessionId, 1250));
    expect(duplicate.body).toEqual({ received: true, outcome: 'duplicate' });
  });

  test('webhooks for an unknown payment are recorded and answered 200; PayPal deliveries PayPal does not verify are 400', async () => {
    const unknown = await paypalDelivery(
      captureCompleted('WH-UNKNOWN-1', '00000000-0000-4000-8000-000000000000', 'ORDER-X', '10.00'),
    );
    expect({ status: unknown.status, body: unknown.body }).toEqual({
      status: 200,
      body: { received: true, outcome: 'unknown_payment' },
    });
    expect(await api.eventStore.readStream(streams.paymentWebhook('paypal-WH-UNKNOWN-1'))).toHaveLength(1);

    const who = await customer();
    const created = await createPayment(who, { provider: 'paypal', amount: '30.00' });
    const { paymentId } = created.body as { paymentId: string };
    const count = await api.eventCount();
    const forged = await paypalDelivery(
      captureCompleted('WH-FORGED', paymentId, 'ORDER-X', '30.00'),
      'forged',
    );
    const malformed = await paypalDelivery({ id: 'WH-M', event_type: 'PAYMENT.CAPTURE.COMPLETED' });
    const notJson = await api.request('POST', '/api/webhooks/paypal', { rawBody: '{"id":' });
    for (const answer of [forged, malformed, notJson]) expect(answer.status).toBe(400);
    expect(await api.eventCount()).toBe(count);
    expect(await paymentCredits(who.orgId)).toHaveLength(0);
  });

  test('staff refunds through the provider and debit the wallet; what the balance cannot cover is reported, never a negative balance', async () => {
    const who = await customer();
    const created = await createPayment(who, { provider: 'paypal', amount: '40.00' });
    const { paymentId } = created.body as { paymentId: string };
    paypal.orders.get(paymentId)!.approved = true;
    const captured = await api.request(
      'POST',
      `/api/organizations/${who.orgId}/payments/${paymentId}/capture`,
      {
        token: who.token,
      },
    );
    expect(captured.body).toMatchObject({ status: 'captured' });

    const refundPath = `/api/admin/payments/${paymentId}/refunds`;
    const partial = await api.request('POST', refundPath, {
      token: adminToken,
      body: { amount: '10.00', reason: 'goodwill' },
      headers: { 'Idempotency-Key': 'refund-1' },
    });
    expect({ status: partial.status, body: partial.body }).toMatchObject({
      status: 201,
      body: {
        walletDebited: '10.000000',
        uncovered: '0.000000',
        payment: { status: 'refunded', refundedAmount: '10.000000' },
      },
    });
    const retried = await api.request('POST', refundPath, {
      token: adminToken,
      body: { amount: '10.00', reason: 'goodwill' },
      headers: { 'Idempotency-Key': 'refund-1' },
    });
    expect(retried.body).toMatchObject({
      refundId: partial.body.refundId,
      payment: { refundedAmount: '10.000000' },
    });

    const tooMuch = await api.request('POST', refundPath, {
      token: adminToken,
      body: { amount: '30.01', reason: 'too much' },
      headers: { 'Idempotency-Key': 'refund-2' },
    });
    expect({ status: tooMuch.status, error: tooMuch.body.error }).toEqual({
      status: 400,
      error: 'refund_exceeds_captured',
    });

    // Other money in the wallet is left alone by refunds: 30 from the payment + 1 from staff.
    const spent = await api.request('POST', `/api/admin/organizations/${who.orgId}/wallet/credits`, {
      token: adminToken,
      body: { amount: '1.00', reason: 'noise' },
    });
    expect(spent.status).toBe(201);
    const events = await walletEvents(who.orgId);
    const balanceBefore = events.at(-1)!.data as { balanceAfter: string };
    expect(balanceBefore.balanceAfter).toBe('31.000000');
    const rest = await api.request('POST', refundPath, {
      token: adminToken,
      body: { amount: '30.00', reason: 'rest' },
      headers: { 'Idempotency-Key': 'refund-3' },
    });
    expect(rest.body).toMatchObject({
      walletDebited: '30.000000',
      uncovered: '0.000000',
      payment: { refundedAmount: '40.000000' },
    });
    const after = (await walletEvents(who.orgId)).at(-1)!.data as { balanceAfter: string };
    expect(after.balanceAfter).toBe('1.000000');
  });

  test('a refund larger than the balance debits what there is and reports the rest as uncovered', async () => {
    const who = await customer();
    const created = await createPayment(who, { provider: 'paypal', amount: '10.00' });
    const { paymentId } = created.body as { paymentId: string };
    paypal.orders.get(paymentId)!.approved = true;
    await api.request('POST', `/api/organizations/${who.orgId}/payments/${paymentId}/capture`, {
      token: who.token,
    });
    // Money leaves the wallet (a signed staff adjustment stands in for the servers' charges).
    const { CommandExecutor } = await import('@stratus/eventstore');
    const { walletDecider } = await import('@stratus/domain');
    const { CommandContext } = await import('../../shared/request-context/command-context');
    await api.app.get(CommandExecutor).execute({
      streamId: streams.wallet(who.orgId),
      decider: walletDecider,
      context: CommandContext.system('spend'),
      command: (_state, metadata) => ({
        type: 'ChargeWallet' as const,
        data: { chargeId: 'spend-1', amount: 7_000_000n, description: 'servers' },
        metadata,
      }),
    });
    const refund = await api.request('POST', `/api/admin/payments/${paymentId}/refunds`, {
      token: adminToken,
      body: { amount: '10.00', reason: 'full refund' },
      headers: { 'Idempotency-Key': 'refund-all' },
    });
    expect({ status: refund.status, body: refund.body }).toMatchObject({
      status: 201,
      body: { walletDebited: '3.000000', uncovered: '7.000000', payment: { status: 'refunded' } },
    });
    const last = (await walletEvents(who.orgId)).at(-1)!.data as { balanceAfter: string };
    expect(last.balanceAfter).toBe('0.000000');
  });

  test('bad input is a 400 and starts nothing', async () => {
    const who = await customer();
    const count = await api.eventCount();
    const calls = paypal.orders.size;
    const bad: [unknown, string | null, string][] = [
      [{ provider: 'paypal', amount: 20 }, 'k-1', 'validation_failed'],
      [{ provider: 'paypal', amount: '20.001' }, 'k-2', 'invalid_amount'],
      [{ provider: 'paypal', amount: '4.99' }, 'k-3', 'amount_below_minimum'],
      [{ provider: 'paypal', amount: '1000.01' }, 'k-4', 'amount_above_maximum'],
      [{ provider: 'bitcoin', amount: '20.00' }, 'k-5', 'validation_failed'],
      [{ provider: 'paypal', amount: '20.00' }, null, 'invalid_idempotency_key'],
      [{ provider: 'paypal', amount: '-20.00' }, 'k-6', 'invalid_amount'],
    ];
    for (const [body, key, error] of bad) {
      const res = await createPayment(who, body, key);
      expect({ status: res.status, body: res.body?.error, input: body }).toMatchObject({
        status: 400,
        input: body,
      });
      if (error !== 'validation_failed') expect(res.body.error).toBe(error);
    }
    expect(paypal.orders.size).toBe(calls);
    expect(await api.eventCount()).toBe(count);
  });

  test('the daily limit counts what the organization initiated today', async () => {
    const who = await customer();
    const first = await createPayment(who, { provider: 'paypal', amount: '1000.00' });
    expect(first.status).toBe(201);
    // The limit reads the payments read model: wait until it shows the first payment.
    await eventually(async () => {
      const list = await api.request('GET', `/api/organizations/${who.orgId}/payments`, { token: who.token });
      expect(list.body.items).toHaveLength(1);
    });
    const second = await createPayment(who, { provider: 'paypal', amount: '500.01' });
    expect({ status: second.status, error: second.body.error }).toEqual({
      status: 400,
      error: 'daily_limit_exceeded',
    });
    const third = await createPayment(who, { provider: 'stripe', amount: '500.00' });
    expect(third.status).toBe(201);
  });

  test('lists are cursor-paged, newest first; staff filter every organization', async () => {
    const who = await customer();
    for (const amount of ['5.00', '6.00', '7.00']) {
      expect((await createPayment(who, { provider: 'paypal', amount })).status).toBe(201);
    }
    await eventually(async () => {
      const all = await api.request('GET', `/api/organizations/${who.orgId}/payments?limit=10`, {
        token: who.token,
      });
      expect(all.body.items).toHaveLength(3);
    });
    const page1 = await api.request('GET', `/api/organizations/${who.orgId}/payments?limit=2`, {
      token: who.token,
    });
    expect(page1.body.items.map((p: { amount: string }) => p.amount)).toEqual(['7.000000', '6.000000']);
    const page2 = await api.request(
      'GET',
      `/api/organizations/${who.orgId}/payments?limit=2&cursor=${page1.body.nextCursor as string}`,
      { token: who.token },
    );
    expect({
      amounts: page2.body.items.map((p: { amount: string }) => p.amount),
      next: page2.body.nextCursor,
    }).toEqual({
      amounts: ['5.000000'],
      next: null,
    });
    const badCursor = await api.request('GET', `/api/organizations/${who.orgId}/payments?cursor=nope`, {
      token: who.token,
    });
    expect(badCursor.status).toBe(400);

    const staff = await api.request(
      'GET',
      `/api/admin/payments?organizationId=${who.orgId}&status=initiated`,
      {
        token: adminToken,
      },
    );
    expect({ status: staff.status, n: staff.body.items.length }).toEqual({ status: 200, n: 3 });
    const badFilter = await api.request('GET', '/api/admin/payments?status=paid', { token: adminToken });
    expect(badFilter.status).toBe(400);
  });

  test('security: anonymous 401, another organization 404, a member without billing_manage 403, customers on staff routes 403', async () => {
    const owner = await customer();
    const created = await createPayment(owner, { provider: 'paypal', amount: '5.00' });
    const { paymentId } = created.body as { paymentId: string };
    const viewer = await customer();
    const added = await api.request('POST', `/api/organizations/${owner.orgId}/members`, {
      token: owner.token,
      body: { email: viewer.email, role: 'viewer' },
    });
    expect(added.status).toBe(201);
    const stranger = await customer();
    const base = `/api/organizations/${owner.orgId}/payments`;
    const routes: [string, string, unknown?][] = [
      ['POST', base, { provider: 'paypal', amount: '5.00' }],
      ['GET', base],
      ['GET', `${base}/${paymentId}`],
      ['POST', `${base}/${paymentId}/capture`],
    ];
    const count = await api.eventCount();
    for (const [method, path, body] of routes) {
      const headers = { 'Idempotency-Key': `sec-${++counter}` };
      const anonymous = await api.request(method, path, { body, headers });
      const other = await api.request(method, path, { body, headers, token: stranger.token });
      const lower = await api.request(method, path, { body, headers, token: viewer.token });
      expect({ path, method, statuses: [anonymous.status, other.status, lower.status] }).toEqual({
        path,
        method,
        statuses: [401, 404, 403],
      });
    }
    // Another organization's payment id under one's own organization is not found either.
    const foreign = await api.request('GET', `/api/organizations/${stranger.orgId}/payments/${paymentId}`, {
      token: stranger.token,
    });
    expect(foreign.status).toBe(404);
    const staffRoutes: [string, string, unknown?][] = [
      ['GET', '/api/admin/payments'],
      ['POST', `/api/admin/payments/${paymentId}/refunds`, { amount: '1.00', reason: 'x' }],
    ];
    for (const [method, path, body] of staffRoutes) {
      const headers = { 'Idempotency-Key': 'x' };
      const anonymous = await api.request(method, path, { body, headers });
      const customerCall = await api.request(method, path, { body, headers, token: owner.token });
      expect({ path, statuses: [anonymous.status, customerCall.status] }).toEqual({
        path,
        statuses: [401, 403],
      });
    }
    expect(await api.eventCount()).toBe(count);
  });
});

/** Retries an assertion until it passes (read models fill asynchronously), failing after 10 s. */
async function eventually(assertion: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
