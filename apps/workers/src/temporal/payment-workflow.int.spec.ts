import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { streams, type WalletCredited } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { PaymentProviders, PaymentSettlement } from '@stratus/infra';
import { startPayPalSimulator, type PayPalSimulator } from '@stratus/infra/paypal-simulator';
import { startStripeMock, type StripeMock } from '@stratus/infra/testing';
import {
  paymentChangedSignal,
  paymentWorkflowId,
  type PaymentResult,
  type PaymentWorkflowInput,
} from '@stratus/workflows';
import { TemporalHarness } from './testing/temporal-harness';
import { recordFixture } from './testing/workflow-fixtures';

jest.setTimeout(120_000);

/**
 * The payment workflow against the real Temporal dev server, PostgreSQL, the PayPal simulator and stripe-mock: a
 * payment whose return and webhooks never arrive is captured by the workflow's polls (through the settlement the
 * API's routes use, with PayPal's idempotency header), an abandoned one expires, and an activity run twice (its
 * answer lost) still credits once.
 */
describe('payment workflow (real Temporal, PostgreSQL, PayPal simulator, stripe-mock)', () => {
  const h = new TemporalHarness();
  let sim: PayPalSimulator;
  let stripeMock: StripeMock;
  let providers: PaymentProviders;
  /** Where the simulator delivers its webhooks: a receiver that records what reaches it. */
  let receiver: Server;
  const received: string[] = [];
  /** The PayPal-Request-Id of every capture request the workers sent (answered or not). */
  const captureRequestIds: { path: string; requestId: string | null }[] = [];
  const recordingFetch: typeof fetch = (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (init?.method === 'POST' && url.endsWith('/capture'))
      captureRequestIds.push({
        path: new URL(url).pathname,
        requestId: new Headers(init.headers).get('paypal-request-id'),
      });
    return fetch(input, init);
  };

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(String(request.headers['paypal-transmission-id']));
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    [sim, stripeMock] = await Promise.all([
      startPayPalSimulator({
        port: 0,
        webhookUrl: `http://127.0.0.1:${port}/api/webhooks/paypal`,
        webhookRetryDelaysMs: [0],
      }),
      startStripeMock(),
      h.setUp(),
    ]);
    providers = new PaymentProviders({
      paypal: {
        apiUrl: sim.url,
        clientId: sim.clientId,
        clientSecret: sim.clientSecret,
        timeoutMs: 2000,
        fetch: recordingFetch,
      },
      stripe: { apiUrl: stripeMock.url, secretKey: 'sk_test_paymentWorkflow' },
    });
    h.paymentProviders = providers;
    await h.startWorker();
  });
  afterEach(() => h.clearActivityFaults());
  afterAll(async () => {
    await h.tearDown();
    await sim?.close();
    await stripeMock?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  const start = (paymentId: string, overrides: Partial<PaymentWorkflowInput> = {}) =>
    h.env.client.workflow.start('paymentWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: paymentWorkflowId(paymentId),
      args: [{ paymentId, expireAfterSeconds: 60, pollSeconds: 0.2, maxPollSeconds: 1, ...overrides }],
    });

  const paymentEvents = async (paymentId: string) =>
    (await h.store.readStream(streams.payment(paymentId))).map((e) => ({ type: e.type, data: e.data }));

  const paymentCredits = async (organizationId: string) =>
    (await h.walletEvents(organizationId)).filter(
      (e): e is WalletCredited & { id: string } => e.type === 'WalletCredited' && e.data.source === 'payment',
    );

  /** Webhooks never arrive: the simulator drops every delivery (fault injection over its HTTP API). */
  const dropWebhooks = async () => {
    const response = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'webhook', mode: 'drop' }),
    });
    expect(response.status).toBe(200);
  };
  const clearSimFaults = () => fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });

  test('a PayPal order approved but never returned, its webhooks lost: the workflow polls, captures with PayPal-Request-Id and credits once', async () => {
    await dropWebhooks();
    // The capture's answer is lost once: the retry must not capture (or credit) a second time.
    const lost = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ operation: 'captureOrder', mode: 'lostAnswer', count: 1 }),
    });
    expect(lost.status).toBe(200);
    try {
      const organizationId = await h.fundedOrganization(0n);
      const { paymentId, providerOrderId } = await h.seeding.initiatePayment(
        organizationId,
        providers.paypal,
        '20.00',
      );
      const handle = await start(paymentId);
      // The buyer approves on PayPal and closes the tab: no return, and PayPal's webhooks are dropped.
      sim.approve(providerOrderId);
      expect((await handle.result()) as PaymentResult).toEqual({ outcome: 'captured', status: 'captured' });
      await recordFixture('payment-polled-capture', [handle]);

      const order = sim.state.orders.get(providerOrderId)!;
      expect(order.status).toBe('COMPLETED');
      // Every capture request (the one whose answer was lost included) carried the payment's PayPal-Request-Id.
      const captures = captureRequestIds.filter((c) => c.path.includes(providerOrderId));
      expect(captures.length).toBeGreaterThanOrEqual(1);
      expect(new Set(captures.map((c) => c.requestId))).toEqual(new Set([`stratus-capture-${paymentId}`]));
      expect([...sim.state.captures.values()].filter((c) => c.orderId === providerOrderId)).toHaveLength(1);

      const events = await paymentEvents(paymentId);
      expect(events.filter((e) => e.type === 'PaymentCaptured').map((e) => e.data)).toEqual([
        expect.objectContaining({ captureId: order.captureId, amount: '20.000000', via: 'poll' }),
      ]);
      const credits = await paymentCredits(organizationId);
      expect(credits.map((c) => c.data)).toEqual([
        expect.objectContaining({ amount: '20.000000', reference: order.captureId, paymentId }),
      ]);
      expect(await h.balance(organizationId)).toBe(20_000_000n);
      // The webhooks were sent, and none reached the receiver.
      expect(sim.webhooks.events.map((e) => e.event_type)).toEqual(
        expect.arrayContaining(['CHECKOUT.ORDER.APPROVED', 'PAYMENT.CAPTURE.COMPLETED']),
      );
      expect(received).toEqual([]);
    } finally {
      await clearSimFaults();
    }
  });

  test('an abandoned payment expires after expireAfterSeconds: status expired, nothing credited', async () => {
    const organizationId = await h.fundedOrganization(0n);
    const paypal = await h.seeding.initiatePayment(organizationId, providers.paypal, '15.00');
    // stripe-mock's sessions stay unpaid: a card payment nobody completes.
    const card = await h.seeding.initiatePayment(organizationId, providers.stripe, '12.50');
    const handles = await Promise.all([
      start(paypal.paymentId, { expireAfterSeconds: 2 }),
      start(card.paymentId, { expireAfterSeconds: 2 }),
    ]);
    for (const handle of handles)
      expect((await handle.result()) as PaymentResult).toEqual({ outcome: 'expired', status: 'expired' });
    await recordFixture('payment-expired', handles.slice(0, 1));
    for (const { paymentId } of [paypal, card]) {
      const types = (await paymentEvents(paymentId)).map((e) => e.type);
      expect(types).toEqual(['PaymentInitiated', 'PaymentExpired']);
    }
    expect(await paymentCredits(organizationId)).toEqual([]);
    expect(sim.state.orders.get(paypal.providerOrderId)!.status).not.toBe('COMPLETED');
  });

  test('a poll whose answer is lost after it captured and credited runs again: one capture, one credit', async () => {
    const organizationId = await h.fundedOrganization(0n);
    const { paymentId, providerOrderId } = await h.seeding.initiatePayment(
      organizationId,
      providers.paypal,
      '9.00',
    );
    sim.approve(providerOrderId);
    const fault = h.injectActivityFault({
      activity: 'pollPayment',
      when: (input) => input.paymentId === paymentId,
      at: 'after',
      nonRetryable: false,
      times: 1,
    });
    const handle = await start(paymentId);
    expect((await handle.result()) as PaymentResult).toEqual({ outcome: 'captured', status: 'captured' });
    expect(fault.fired()).toBe(1);
    expect((await paymentEvents(paymentId)).filter((e) => e.type === 'PaymentCaptured')).toHaveLength(1);
    expect(await paymentCredits(organizationId)).toHaveLength(1);
    expect(await h.balance(organizationId)).toBe(9_000_000n);
  });

  test("the customer's return settles first and signals: the workflow ends at once, and the credit is still one", async () => {
    const organizationId = await h.fundedOrganization(0n);
    const { paymentId, providerOrderId } = await h.seeding.initiatePayment(
      organizationId,
      providers.paypal,
      '7.00',
    );
    // Its first poll is an hour away: only the signal can end it now.
    const handle = await start(paymentId, { pollSeconds: 3600, maxPollSeconds: 3600 });
    sim.approve(providerOrderId);
    // What the API's capture route does: the same settlement, then paymentChangedSignal.
    const settlement = new PaymentSettlement({
      executor: new CommandExecutor({ eventStore: h.store }),
      providers,
    });
    const context = {
      actor: { userId: 'customer', role: 'user' },
      correlationId: 'return',
      causationId: 'return',
    };
    const payment = await settlement.load(paymentId);
    if (payment.status === 'none') throw new Error('payment not initiated');
    expect((await settlement.settle(payment, 'return', context)).status).toBe('captured');
    await handle.signal(paymentChangedSignal);
    expect((await handle.result()) as PaymentResult).toEqual({ outcome: 'captured', status: 'captured' });
    expect(await h.balance(organizationId)).toBe(7_000_000n);
    expect(await paymentCredits(organizationId)).toHaveLength(1);
    expect((await paymentEvents(paymentId)).find((e) => e.type === 'PaymentCaptured')?.data).toMatchObject({
      via: 'return',
    });
  });
});
