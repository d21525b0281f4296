/**
 * Customer payments end to end over HTTP (real PostgreSQL, projections running) against the real providers'
 * stand-ins: the PayPal simulator (Orders v2, PayPal-Request-Id idempotency, webhooks it signs and checks through
 * verify-webhook-signature) and stripe-mock (Stripe's own API mock; stateless, so card payments complete by webhooks
 * signed here with the `stripe` library's test header). Each payment's workflow runs on a real Temporal dev server
 * with a worker in this process, polling the same providers. The return, the webhook, the workflow and their
 * retries racing on one payment credit it once; forged, stale and malformed webhooks change nothing; every route's
 * security and bad input.
 */
import { createSign, generateKeyPairSync, randomUUID } from 'node:crypto';
import { streams, type WalletEvent } from '@stratus/domain';
import {
  payPalSignedText,
  PAYPAL_AUTH_ALGO,
  startPayPalSimulator,
  type PayPalSimulator,
  type WebhookEvent,
} from '@stratus/infra/paypal-simulator';
import { startStripeMock, type StripeMock } from '@stratus/infra/testing';
import { PaymentProviders } from '@stratus/infra';
import { paymentChangedSignal, paymentWorkflowId, TASK_QUEUE, type PaymentResult } from '@stratus/workflows';
import Stripe from 'stripe';
import { TemporalHarness } from '../../../../workers/src/temporal/testing/temporal-harness';
import { startTestApi, type TestApi, signInAdmin } from '../../testing/api-test-app';
import { joinByInvitation } from '../organizations/testing/invitations.fixture';

jest.setTimeout(180_000);

const STRIPE_WEBHOOK_SECRET = 'whsec_payments_test';
const STRIPE_SECRET_KEY = 'sk_test_payments';
/** The simulator's signing key: the test signs PayPal's redeliveries of the simulator's events with it. */
const { privateKey: payPalKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const { privateKey: someoneElsesKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

const harness = new TemporalHarness();
let api: TestApi;
let sim: PayPalSimulator;
let stripeMock: StripeMock;
const stripe = new Stripe(STRIPE_SECRET_KEY);
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

function capturePayment(who: Customer, paymentId: string) {
  return api.request('POST', `/api/organizations/${who.orgId}/payments/${paymentId}/capture`, {
    token: who.token,
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

/** The wallet's balance after its last money movement. */
async function balanceOf(orgId: string): Promise<string> {
  const moved = (await walletEvents(orgId)).filter((event) => 'balanceAfter' in event.data);
  return (moved.at(-1)!.data as { balanceAfter: string }).balanceAfter;
}

/** Money leaves the wallet (a charge stands in for the servers'). */
async function spend(orgId: string, amount: bigint): Promise<void> {
  const { CommandExecutor } = await import('@stratus/eventstore');
  const { walletDecider } = await import('@stratus/domain');
  const { CommandContext } = await import('../../shared/request-context/command-context');
  await api.app.get(CommandExecutor).execute({
    streamId: streams.wallet(orgId),
    decider: walletDecider,
    context: CommandContext.system('spend'),
    command: (_state, metadata) => ({
      type: 'ChargeWallet' as const,
      data: { chargeId: `spend-${++counter}`, amount, description: 'servers' },
      metadata,
    }),
  });
}

async function staffCredit(orgId: string, amount: string): Promise<void> {
  const credited = await api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
    token: adminToken,
    body: { amount, reason: 'top-up by staff' },
  });
  expect(credited.status).toBe(201);
}

/** The provider's order id (PayPal order, Stripe Checkout Session) the payment stream recorded. */
async function providerOrderIdOf(paymentId: string): Promise<string> {
  const events = await api.eventStore.readStream(streams.payment(paymentId));
  const initiated = events.find((event) => event.type === 'PaymentInitiated');
  return (initiated!.data as { providerOrderId: string }).providerOrderId;
}

/** A PayPal payment the buyer approved on the simulator's checkout page, captured by the return. */
async function capturedPayPalPayment(who: Customer, amount: string) {
  const created = await createPayment(who, { provider: 'paypal', amount });
  expect(created.status).toBe(201);
  const { paymentId } = created.body as { paymentId: string };
  sim.approve(await providerOrderIdOf(paymentId));
  const captured = await capturePayment(who, paymentId);
  expect(captured.body).toMatchObject({ status: 'captured' });
  return paymentId;
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

/**
 * A PayPal transmission of `event` as PayPal (re)delivers it: a new transmission id, signed over
 * `id|time|webhookId|crc32(body)` with the simulator's key (or another one: a forgery).
 */
function paypalDelivery(event: unknown, key = payPalKey) {
  const body = JSON.stringify(event);
  const transmissionId = randomUUID();
  const transmissionTime = new Date().toISOString();
  const signer = createSign('sha256');
  signer.update(payPalSignedText(transmissionId, transmissionTime, sim.webhookId, body));
  return api.request('POST', '/api/webhooks/paypal', {
    rawBody: body,
    headers: {
      'PAYPAL-AUTH-ALGO': PAYPAL_AUTH_ALGO,
      'PAYPAL-CERT-URL': sim.certUrl,
      'PAYPAL-TRANSMISSION-ID': transmissionId,
      'PAYPAL-TRANSMISSION-SIG': signer.sign(key, 'base64'),
      'PAYPAL-TRANSMISSION-TIME': transmissionTime,
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
      id: `CAP-${eventId}`,
      status: 'COMPLETED',
      amount: { currency_code: 'USD', value },
      custom_id: paymentId,
      supplementary_data: { related_ids: { order_id: orderId } },
    },
  };
}

/** The simulator's PAYMENT.CAPTURE.COMPLETED event for a payment (custom_id), once it has captured it. */
async function captureEventOf(paymentId: string): Promise<WebhookEvent> {
  let found: WebhookEvent | undefined;
  await eventually(async () => {
    found = sim.webhooks.events.find(
      (event) => event.event_type === 'PAYMENT.CAPTURE.COMPLETED' && event.resource.custom_id === paymentId,
    );
    expect(found).toBeDefined();
  }, 30_000);
  return found!;
}

beforeAll(async () => {
  [stripeMock, sim] = await Promise.all([
    startStripeMock(),
    startPayPalSimulator({ port: 0, privateKey: payPalKey, webhookRetryDelaysMs: [0] }),
    harness.setUp(),
  ]);
  const paypal = {
    apiUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    webhookId: sim.webhookId,
  };
  const stripeSettings = {
    apiUrl: stripeMock.url,
    secretKey: STRIPE_SECRET_KEY,
    webhookSecret: STRIPE_WEBHOOK_SECRET,
  };
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
      payments: {
        paypal,
        stripe: stripeSettings,
        limits: { min: 5_000_000n, max: 1_000_000_000n, daily: 1_500_000_000n },
        portalUrl: 'https://portal.example',
        // The workflows poll every second or two here (not every few minutes), so they join the races below.
        workflow: { expireAfterSeconds: 3600, pollSeconds: 1, maxPollSeconds: 2 },
      },
    },
  });
  // The worker polls the production task queue the API starts payment workflows on.
  harness.taskQueue = TASK_QUEUE;
  harness.paymentProviders = new PaymentProviders({ paypal, stripe: stripeSettings });
  await harness.startWorker();
  sim.setWebhookUrl(`${api.url}/api/webhooks/paypal`);
  adminToken = (await signInAdmin(api)).token;
});

afterAll(async () => {
  sim?.setWebhookUrl(null);
  await api?.close();
  await harness.tearDown();
  await sim?.close();
  await stripeMock?.stop();
});

const paymentWorkflow = (paymentId: string) =>
  harness.env.client.workflow.getHandle(paymentWorkflowId(paymentId));

describe('payments', () => {
  test('a PayPal payment: 50 returns, 50 webhook deliveries and its workflow woken 50 times racing credit it once, with the provider amount', async () => {
    const who = await customer();
    const created = await createPayment(who, { provider: 'paypal', amount: '20.00' }, 'race-1');
    expect({ status: created.status, body: created.body }).toMatchObject({
      status: 201,
      body: {
        provider: 'paypal',
        status: 'initiated',
        redirectUrl: expect.stringContaining(`${sim.url}/checkoutnow?token=`),
      },
    });
    const { paymentId } = created.body as { paymentId: string };
    // The create started the payment's workflow; the retried create finds it and starts no other.
    const run = (await paymentWorkflow(paymentId).describe()).runId;
    const again = await createPayment(who, { provider: 'paypal', amount: '20.00' }, 'race-1');
    expect({ status: again.status, paymentId: again.body.paymentId }).toEqual({ status: 201, paymentId });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await paymentWorkflow(paymentId).describe()).runId).toBe(run);
    // Listed once among the organization's payments (where the reconciliation finds it).
    const listed = await api.eventStore.readStream(streams.organizationPayments(who.orgId));
    expect(listed.map((event) => event.data)).toEqual([{ organizationId: who.orgId, paymentId }]);
    const orderId = await providerOrderIdOf(paymentId);
    // One PayPal order for the payment, however often it was asked for (PayPal-Request-Id).
    expect(
      [...sim.state.orders.values()].filter((order) => order.purchaseUnit.custom_id === paymentId),
    ).toHaveLength(1);

    // Before approval the return answers the payment as it is and credits nothing.
    const early = await capturePayment(who, paymentId);
    expect({ status: early.status, body: early.body }).toMatchObject({
      status: 200,
      body: { status: 'initiated' },
    });

    // The buyer approves on the simulator's page; the simulator's own CHECKOUT.ORDER.APPROVED and
    // PAYMENT.CAPTURE.COMPLETED deliveries race with the returns below, and so does the workflow: woken 50 times
    // (each wake-up a look at PayPal: read the order, capture it if approved), besides its own polls.
    sim.approve(orderId);
    const workflow = paymentWorkflow(paymentId);
    const wakeUps = Array.from({ length: 50 }, () =>
      workflow.signal(paymentChangedSignal).catch(() => undefined),
    );
    const returns = Array.from({ length: 50 }, () => capturePayment(who, paymentId));
    // As soon as PayPal has the capture, 50 more transmissions of its event arrive at once (PayPal redelivers).
    const webhooks = captureEventOf(paymentId).then((event) =>
      Promise.all(Array.from({ length: 50 }, () => paypalDelivery(event))),
    );
    const [returned, delivered] = await Promise.all([Promise.all(returns), webhooks, Promise.all(wakeUps)]);
    for (const answer of [...returned, ...delivered])
      expect({ status: answer.status, body: answer.body }).toMatchObject({ status: 200 });
    for (const answer of returned)
      expect(answer.body).toMatchObject({ status: 'captured', capturedAmount: '20.000000' });
    await sim.webhooks.idle();
    const simulatorDeliveries = sim.webhooks.deliveries.filter(
      (delivery) => delivery.eventType === 'PAYMENT.CAPTURE.COMPLETED' && delivery.body.includes(paymentId),
    );
    expect(simulatorDeliveries.map((delivery) => delivery.status)).toEqual([200]);

    const captureId = sim.state.orders.get(orderId)!.captureId;
    expect(captureId).toEqual(expect.any(String));
    const credits = await paymentCredits(who.orgId);
    expect(credits).toHaveLength(1);
    expect(credits[0]!.data).toMatchObject({
      amount: '20.000000',
      reference: captureId,
      source: 'payment',
      paymentId,
    });
    const payment = await api.eventStore.readStream(streams.payment(paymentId));
    expect(payment.filter((event) => event.type === 'PaymentCaptured')).toHaveLength(1);
    // The workflow took part (it looked at the payment after the approval) and ended with it captured.
    expect((await workflow.result()) as PaymentResult).toEqual({ outcome: 'captured', status: 'captured' });
    const looks = (await workflow.fetchHistory()).events!.filter(
      (event) => event.activityTaskScheduledEventAttributes?.activityType?.name === 'pollPayment',
    );
    expect(looks.length).toBeGreaterThanOrEqual(1);

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
    // stripe-mock created the Checkout Session (validated against Stripe's OpenAPI specification).
    const sessionId = await providerOrderIdOf(paymentId);
    expect(sessionId).toMatch(/^cs_/);
    // It is stateless: reading the session back says unpaid, so the return alone credits nothing.
    const early = await capturePayment(who, paymentId);
    expect(early.body).toMatchObject({ status: 'initiated' });

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

    // Staff refund a card payment through Stripe (stripe-mock validates the request) under its PaymentIntent.
    const refund = await api.request('POST', `/api/admin/payments/${paymentId}/refunds`, {
      token: adminToken,
      body: { amount: '2.50', reason: 'goodwill' },
      headers: { 'Idempotency-Key': 'card-refund-1' },
    });
    expect({ status: refund.status, body: refund.body }).toMatchObject({
      status: 201,
      body: {
        refundId: expect.stringMatching(/^re_/),
        walletDebited: '2.500000',
        payment: { status: 'refunded', refundedAmount: '2.500000' },
      },
    });
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
      captureCompleted('WH-FORGED', paymentId, await providerOrderIdOf(paymentId), '30.00'),
      someoneElsesKey,
    );
    const malformed = await paypalDelivery({ id: 'WH-M', event_type: 'PAYMENT.CAPTURE.COMPLETED' });
    const notJson = await api.request('POST', '/api/webhooks/paypal', { rawBody: '{"id":' });
    for (const answer of [forged, malformed, notJson]) expect(answer.status).toBe(400);
    expect(await api.eventCount()).toBe(count);
    expect(await paymentCredits(who.orgId)).toHaveLength(0);
  });

  test('staff refunds through the provider and debit the wallet; what the balance cannot cover is reported, never a negative balance', async () => {
    const who = await customer();
    const paymentId = await capturedPayPalPayment(who, '40.00');
    const captureId = sim.state.orders.get(await providerOrderIdOf(paymentId))!.captureId!;

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
    // PayPal refunded twice (the retry carried the same PayPal-Request-Id), for what staff asked.
    const refunded = [...sim.state.refunds.values()].filter((refund) => refund.captureId === captureId);
    expect(refunded.map((refund) => [refund.id, refund.amount.value])).toEqual([
      [partial.body.refundId, '10.00'],
      [rest.body.refundId, '30.00'],
    ]);
  });

  test('a refund larger than the balance debits what there is and reports the rest as uncovered', async () => {
    const who = await customer();
    const paymentId = await capturedPayPalPayment(who, '10.00');
    await spend(who.orgId, 7_000_000n);
    const refund = await api.request('POST', `/api/admin/payments/${paymentId}/refunds`, {
      token: adminToken,
      body: { amount: '10.00', reason: 'full refund' },
      headers: { 'Idempotency-Key': 'refund-all' },
    });
    expect({ status: refund.status, body: refund.body }).toMatchObject({
      status: 201,
      body: { walletDebited: '3.000000', uncovered: '7.000000', payment: { status: 'refunded' } },
    });
    // The uncovered 7 is outstanding debt: the balance stays 0 and the next credit pays it first.
    const debts = (await walletEvents(who.orgId)).filter((event) => event.type === 'WalletDebtRecorded');
    expect(debts.map((event) => event.data.amount)).toEqual(['7.000000']);
    expect(await balanceOf(who.orgId)).toBe('0.000000');
    await staffCredit(who.orgId, '10.00');
    expect(await balanceOf(who.orgId)).toBe('3.000000');
  });

  test('disputes from PayPal and Stripe webhooks debit the wallet once; what the balance cannot cover is debt the next credit pays', async () => {
    const who = await customer();
    const paymentId = await capturedPayPalPayment(who, '25.00');
    const captureId = sim.state.orders.get(await providerOrderIdOf(paymentId))!.captureId!;
    await spend(who.orgId, 20_000_000n);
    // Disputes name the capture only: the payments read model maps it to the payment.
    await eventually(async () => {
      const read = await api.request('GET', `/api/organizations/${who.orgId}/payments`, { token: who.token });
      expect(read.body.items[0]).toMatchObject({ paymentId, captureId });
    });

    // The simulator opens a chargeback for the whole capture and delivers CUSTOMER.DISPUTE.CREATED, signed.
    const dispute = sim.openDispute(captureId);
    await eventually(async () => {
      const events = await api.eventStore.readStream(streams.payment(paymentId));
      expect(events.map((event) => event.type)).toContain('PaymentDisputed');
    });
    const event = sim.webhooks.events.find(
      (candidate) => candidate.event_type === 'CUSTOMER.DISPUTE.CREATED',
    )!;
    // PayPal delivers it again: nothing more.
    const again = await paypalDelivery(event);
    expect(again.body).toEqual({ received: true, outcome: 'duplicate' });
    const disputed = (await api.eventStore.readStream(streams.payment(paymentId))).filter(
      (recorded) => recorded.type === 'PaymentDisputed',
    );
    expect(disputed.map((recorded) => recorded.data)).toEqual([
      expect.objectContaining({
        disputeId: dispute.dispute_id,
        amount: '25.000000',
        walletDebited: '5.000000',
        uncovered: '20.000000',
      }),
    ]);
    const wallet = await walletEvents(who.orgId);
    expect(
      wallet
        .filter((recorded) => recorded.type === 'WalletCharged' || recorded.type === 'WalletDebtRecorded')
        .map((recorded) => [recorded.type, recorded.data.amount]),
    ).toEqual([
      ['WalletCharged', '20.000000'],
      ['WalletCharged', '5.000000'],
      ['WalletDebtRecorded', '20.000000'],
    ]);
    expect(await balanceOf(who.orgId)).toBe('0.000000');
    await staffCredit(who.orgId, '30.00');
    expect(await balanceOf(who.orgId)).toBe('10.000000');

    // A card payment's chargeback (charge.dispute.created names the PaymentIntent), signed by Stripe.
    const card = await createPayment(who, { provider: 'stripe', amount: '12.50' });
    const cardId = (card.body as { paymentId: string }).paymentId;
    const sessionId = await providerOrderIdOf(cardId);
    expect(
      (await stripeDelivery(sessionCompleted(`evt_paid_${cardId}`, cardId, sessionId, 1250))).status,
    ).toBe(200);
    await eventually(async () => {
      const read = await api.request('GET', `/api/organizations/${who.orgId}/payments/${cardId}`, {
        token: who.token,
      });
      expect(read.body).toMatchObject({ status: 'captured' });
      const listed = await api.request('GET', `/api/organizations/${who.orgId}/payments`, {
        token: who.token,
      });
      expect(listed.body.items[0]).toMatchObject({
        paymentId: cardId,
        captureId: `pi_${cardId.slice(0, 8)}`,
      });
    });
    const chargeback = JSON.stringify({
      id: `evt_dispute_${cardId}`,
      object: 'event',
      type: 'charge.dispute.created',
      created: Math.floor(Date.now() / 1000),
      data: {
        object: {
          id: `dp_${cardId.slice(0, 8)}`,
          object: 'dispute',
          amount: 500,
          currency: 'usd',
          charge: `ch_${cardId.slice(0, 8)}`,
          payment_intent: `pi_${cardId.slice(0, 8)}`,
          reason: 'fraudulent',
          status: 'needs_response',
        },
      },
    });
    const answers = await Promise.all([stripeDelivery(chargeback), stripeDelivery(chargeback)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    const cardEvents = await api.eventStore.readStream(streams.payment(cardId));
    expect(cardEvents.filter((recorded) => recorded.type === 'PaymentDisputed').map((e) => e.data)).toEqual([
      expect.objectContaining({ amount: '5.000000', walletDebited: '5.000000', uncovered: '0.000000' }),
    ]);
    // 10 + 12.50 credited - 5 disputed.
    expect(await balanceOf(who.orgId)).toBe('17.500000');
  });

  test('a dispute delivered before the payments read model knows the capture is applied (the capture index answers)', async () => {
    const who = await customer();
    const paymentId = await capturedPayPalPayment(who, '8.00');
    const captureId = sim.state.orders.get(await providerOrderIdOf(paymentId))!.captureId!;
    // The read model has not caught up with the capture: forced, once it has, by making its row forget it.
    await eventually(async () => {
      const read = await api.request('GET', `/api/organizations/${who.orgId}/payments`, { token: who.token });
      expect(read.body.items[0]).toMatchObject({ paymentId, captureId });
    });
    await api.orm.em
      .fork()
      .getConnection()
      .execute('update payments set capture_id = null where payment_id = ?', [paymentId]);

    const dispute = sim.openDispute(captureId);
    await eventually(async () => {
      const events = await api.eventStore.readStream(streams.payment(paymentId));
      expect(events.filter((event) => event.type === 'PaymentDisputed').map((event) => event.data)).toEqual([
        expect.objectContaining({
          disputeId: dispute.dispute_id,
          amount: '8.000000',
          walletDebited: '8.000000',
        }),
      ]);
    }, 30_000);
    expect(await balanceOf(who.orgId)).toBe('0.000000');
  });

  test('bad input is a 400 and starts nothing', async () => {
    const who = await customer();
    const count = await api.eventCount();
    const orders = sim.state.orders.size;
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
    expect(sim.state.orders.size).toBe(orders);
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
    const oldest = page2.body.items[0] as { paymentId: string };
    const one = await api.request('GET', `/api/admin/payments?paymentId=${oldest.paymentId}`, {
      token: adminToken,
    });
    expect(one.body.items.map((p: { paymentId: string }) => p.paymentId)).toEqual([oldest.paymentId]);
    const badId = await api.request('GET', '/api/admin/payments?paymentId=nope', { token: adminToken });
    expect(badId.status).toBe(400);
    const badFilter = await api.request('GET', '/api/admin/payments?status=paid', { token: adminToken });
    expect(badFilter.status).toBe(400);
  });

  test('security: anonymous 401, another organization 404, a member without billing_manage 403, customers on staff routes 403', async () => {
    const owner = await customer();
    const created = await createPayment(owner, { provider: 'paypal', amount: '5.00' });
    const { paymentId } = created.body as { paymentId: string };
    const viewer = await customer();
    await joinByInvitation(api, owner.orgId, owner.token, viewer, 'viewer');
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
