import { verify, X509Certificate } from 'node:crypto';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { loadPayPalSpecValidator, PayPalSpecValidator } from './paypal-spec-validator';
import { PayPalExchange, PayPalSimulator, startPayPalSimulator } from './paypal-simulator';
import { payPalSignedText } from './webhook-dispatcher';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- answers are asserted field by field
type Json = Record<string, any>;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let spec: PayPalSpecValidator;
let sim: PayPalSimulator;
let receiver: Server;
const exchanges: PayPalExchange[] = [];
let received: Received[] = [];
/** Status the webhook receiver answers with next (then 200 again). */
let nextReceiverStatuses: number[] = [];
let token = '';

beforeAll(async () => {
  spec = await loadPayPalSpecValidator();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(nextReceiverStatuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolveListen) => receiver.listen(0, '127.0.0.1', resolveListen));
  sim = await startPayPalSimulator({
    port: 0,
    webhookUrl: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/api/webhooks/paypal`,
    webhookRetryDelaysMs: [0, 0],
    webhookHoldMs: 60_000,
    observe: (exchange) => exchanges.push(exchange),
  });
  token = await accessToken();
});

afterAll(async () => {
  await sim?.close();
  await new Promise((resolveClose) => receiver?.close(resolveClose));
});

beforeEach(async () => {
  await fetch(`${sim.url}/__sim/faults`, { method: 'DELETE' });
  await sim.webhooks.idle();
  received = [];
  nextReceiverStatuses = [];
});

/** Every exchange of the test, both sides, and every event delivered, against PayPal's specifications. */
afterEach(() => {
  const problems = exchanges.splice(0).flatMap((exchange) => {
    if (exchange.operation === 'token') return [];
    const headers = Object.fromEntries(
      Object.entries(exchange.headers).filter(
        (entry): entry is [string, string] => typeof entry[1] === 'string',
      ),
    );
    const where = `${exchange.method} ${exchange.path}`;
    return [
      ...spec.validateRequest(exchange.method, exchange.path, exchange.requestBody, headers).errors,
      ...spec.validateResponse(exchange.method, exchange.path, exchange.status, exchange.responseBody).errors,
    ].map((error) => `${where} → ${error}`);
  });
  for (const delivery of received)
    problems.push(
      ...spec.validateSchema('event', JSON.parse(delivery.body)).errors.map((e) => `webhook → ${e}`),
    );
  expect(problems).toEqual([]);
});

async function accessToken(clientSecret = sim.clientSecret): Promise<string> {
  const response = await fetch(`${sim.url}/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sim.clientId}:${clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  const body = (await response.json()) as { access_token?: string; error?: string };
  return body.access_token ?? `refused: ${response.status} ${body.error}`;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Json };
}

const orderBody = (value = '20.00') => ({
  intent: 'CAPTURE',
  purchase_units: [
    { reference_id: 'wallet-top-up', custom_id: 'pay_1', amount: { currency_code: 'USD', value } },
  ],
  payment_source: {
    paypal: {
      experience_context: {
        return_url: 'http://localhost:5173/billing/return?provider=paypal',
        cancel_url: 'http://localhost:5173/billing/cancelled',
        user_action: 'PAY_NOW',
      },
    },
  },
});

async function approvedOrder(value = '20.00'): Promise<string> {
  const created = await call('POST', '/v2/checkout/orders', orderBody(value), {
    'PayPal-Request-Id': `create-${Math.random()}`,
  });
  expect(created.status).toBe(201);
  sim.approve(created.body.id);
  return created.body.id as string;
}

async function capturedOrder(value = '20.00') {
  const orderId = await approvedOrder(value);
  const captured = await call('POST', `/v2/checkout/orders/${orderId}/capture`, undefined, {
    'PayPal-Request-Id': `capture-${orderId}`,
  });
  expect(captured.status).toBe(201);
  return { orderId, captureId: captured.body.purchase_units[0].payments.captures[0].id as string };
}

const eventsOf = (type: string) =>
  received.map((delivery) => JSON.parse(delivery.body)).filter((event) => event.event_type === type);

describe('OAuth2', () => {
  it('issues a bearer token for the client credentials and refuses others', async () => {
    expect(token).toMatch(/^A21AA/);
    expect(await accessToken('wrong')).toBe('refused: 401 invalid_client');
    expect(
      (await call('GET', '/v2/checkout/orders/ABC', undefined, { authorization: 'Bearer nope' })).status,
    ).toBe(401);
  });
});

describe('orders', () => {
  it('creates, lets the buyer approve on the checkout page, and captures once whatever is retried', async () => {
    const created = await call('POST', '/v2/checkout/orders', orderBody(), {
      'PayPal-Request-Id': 'create-1',
      Prefer: 'return=representation',
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('PAYER_ACTION_REQUIRED');
    const again = await call('POST', '/v2/checkout/orders', orderBody(), {
      'PayPal-Request-Id': 'create-1',
      Prefer: 'return=representation',
    });
    expect(again.body).toEqual(created.body);
    const orderId = created.body.id as string;
    const checkout = created.body.links.find((link: { rel: string }) => link.rel === 'payer-action')
      .href as string;

    const early = await call('POST', `/v2/checkout/orders/${orderId}/capture`);
    expect(early.status).toBe(422);
    expect(early.body.details[0].issue).toBe('ORDER_NOT_APPROVED');

    const page = await fetch(checkout);
    const html = await page.text();
    expect(html).toContain('20.00 USD');
    expect(html).toMatch(/<button[^>]*>Approve<\/button>/);
    expect(html).toMatch(/<button[^>]*>Cancel<\/button>/);
    const approved = await fetch(`${sim.url}/checkoutnow/approve`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: orderId }),
      redirect: 'manual',
    });
    expect(approved.status).toBe(303);
    const location = new URL(approved.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe('http://localhost:5173/billing/return');
    expect(location.searchParams.get('provider')).toBe('paypal');
    expect(location.searchParams.get('token')).toBe(orderId);
    expect(location.searchParams.get('PayerID')).toMatch(/^[A-Z0-9]{13}$/);
    expect((await call('GET', `/v2/checkout/orders/${orderId}`)).body.status).toBe('APPROVED');

    const capture = await call(
      'POST',
      `/v2/checkout/orders/${orderId}/capture`,
      {},
      { 'PayPal-Request-Id': 'pay-1-capture' },
    );
    expect(capture.status).toBe(201);
    expect(capture.body.status).toBe('COMPLETED');
    const captured = capture.body.purchase_units[0].payments.captures[0];
    expect(captured).toMatchObject({ status: 'COMPLETED', amount: { currency_code: 'USD', value: '20.00' } });
    const retried = await call(
      'POST',
      `/v2/checkout/orders/${orderId}/capture`,
      {},
      { 'PayPal-Request-Id': 'pay-1-capture' },
    );
    expect(retried).toEqual(capture);
    const other = await call(
      'POST',
      `/v2/checkout/orders/${orderId}/capture`,
      {},
      { 'PayPal-Request-Id': 'another' },
    );
    expect(other.status).toBe(422);
    expect(other.body.details[0].issue).toBe('ORDER_ALREADY_CAPTURED');
    expect([...sim.state.captures.values()].filter((c) => c.orderId === orderId)).toHaveLength(1);

    const fetched = await call('GET', `/v2/checkout/orders/${orderId}`);
    expect(fetched.body.purchase_units[0].payments.captures[0].id).toBe(captured.id);
    expect((await call('GET', `/v2/payments/captures/${captured.id}`)).body.status).toBe('COMPLETED');

    await sim.webhooks.idle();
    expect(eventsOf('CHECKOUT.ORDER.APPROVED').map((event) => event.resource.id)).toEqual([orderId]);
    expect(eventsOf('PAYMENT.CAPTURE.COMPLETED').map((event) => event.resource.id)).toEqual([captured.id]);
    expect(eventsOf('PAYMENT.CAPTURE.COMPLETED')[0].resource.supplementary_data.related_ids.order_id).toBe(
      orderId,
    );
  });

  it('sends a cancelled buyer to cancel_url with the token', async () => {
    const created = await call('POST', '/v2/checkout/orders', orderBody());
    const cancelled = await fetch(`${sim.url}/checkoutnow/cancel`, {
      method: 'POST',
      body: new URLSearchParams({ token: created.body.id }),
      redirect: 'manual',
    });
    expect(cancelled.headers.get('location')).toBe(
      `http://localhost:5173/billing/cancelled?token=${created.body.id}`,
    );
    expect((await call('GET', `/v2/checkout/orders/${created.body.id}`)).body.status).toBe(
      'PAYER_ACTION_REQUIRED',
    );
  });

  it('refuses malformed orders and unknown ids in PayPal error shapes', async () => {
    const bad = await call('POST', '/v2/checkout/orders', {
      ...orderBody(),
      purchase_units: [{ amount: { currency_code: 'USD', value: '-1' } }],
    });
    expect(bad.status).toBe(400);
    expect(bad.body.name).toBe('INVALID_REQUEST');
    const missing = await call('GET', '/v2/checkout/orders/NOSUCHORDER1');
    expect(missing.status).toBe(404);
    expect(missing.body.name).toBe('RESOURCE_NOT_FOUND');
  });
});

describe('refunds', () => {
  it('refunds partially then fully, once per PayPal-Request-Id, never more than captured', async () => {
    const { captureId } = await capturedOrder('20.00');
    const partial = await call(
      'POST',
      `/v2/payments/captures/${captureId}/refund`,
      { amount: { currency_code: 'USD', value: '5.50' }, note_to_payer: 'sorry' },
      {
        'PayPal-Request-Id': 'refund-1',
        Prefer: 'return=representation',
      },
    );
    expect(partial.status).toBe(201);
    expect(partial.body).toMatchObject({ status: 'COMPLETED', amount: { value: '5.50' } });
    const retried = await call(
      'POST',
      `/v2/payments/captures/${captureId}/refund`,
      { amount: { currency_code: 'USD', value: '5.50' } },
      {
        'PayPal-Request-Id': 'refund-1',
        Prefer: 'return=representation',
      },
    );
    expect(retried.body.id).toBe(partial.body.id);
    expect((await call('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('PARTIALLY_REFUNDED');
    const tooMuch = await call('POST', `/v2/payments/captures/${captureId}/refund`, {
      amount: { currency_code: 'USD', value: '15.00' },
    });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.details[0].issue).toBe('REFUND_AMOUNT_EXCEEDED');
    const rest = await call(
      'POST',
      `/v2/payments/captures/${captureId}/refund`,
      {},
      { 'PayPal-Request-Id': 'refund-2', Prefer: 'return=representation' },
    );
    expect(rest.body.amount.value).toBe('14.50');
    expect((await call('GET', `/v2/payments/captures/${captureId}`)).body.status).toBe('REFUNDED');
    const none = await call('POST', `/v2/payments/captures/${captureId}/refund`, {});
    expect(none.body.details[0].issue).toBe('CAPTURE_FULLY_REFUNDED');
    await sim.webhooks.idle();
    expect(eventsOf('PAYMENT.CAPTURE.REFUNDED').map((event) => event.resource.amount.value)).toEqual([
      '5.50',
      '14.50',
    ]);
  });
});

describe('faults', () => {
  it('lostAnswer: the capture happens, the connection is reset, the retry with the same PayPal-Request-Id gets it', async () => {
    const orderId = await approvedOrder();
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'captureOrder', mode: 'lostAnswer', count: 1 }),
    });
    await expect(
      call('POST', `/v2/checkout/orders/${orderId}/capture`, {}, { 'PayPal-Request-Id': 'lost-1' }),
    ).rejects.toThrow();
    const retried = await call(
      'POST',
      `/v2/checkout/orders/${orderId}/capture`,
      {},
      { 'PayPal-Request-Id': 'lost-1' },
    );
    expect(retried.status).toBe(201);
    const captures = [...sim.state.captures.values()].filter((capture) => capture.orderId === orderId);
    expect(captures.map((capture) => capture.id)).toEqual([
      retried.body.purchase_units[0].payments.captures[0].id,
    ]);
    await sim.webhooks.idle();
    expect(eventsOf('PAYMENT.CAPTURE.COMPLETED')).toHaveLength(1);
  });

  it('error, timeout and declined change nothing', async () => {
    const orderId = await approvedOrder();
    const add = (fault: object) =>
      fetch(`${sim.url}/__sim/faults`, { method: 'POST', body: JSON.stringify(fault) });
    await add({ operation: 'captureOrder', mode: 'error', count: 1 });
    const failed = await call('POST', `/v2/checkout/orders/${orderId}/capture`);
    expect(failed.status).toBe(500);
    expect(failed.body.name).toBe('INTERNAL_SERVER_ERROR');
    await add({ operation: 'captureOrder', mode: 'timeout', count: 1 });
    await expect(
      fetch(`${sim.url}/v2/checkout/orders/${orderId}/capture`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(300),
      }),
    ).rejects.toThrow();
    await add({ operation: 'captureOrder', mode: 'declined', count: 1 });
    const declined = await call('POST', `/v2/checkout/orders/${orderId}/capture`);
    expect(declined.status).toBe(422);
    expect(declined.body.details[0].issue).toBe('INSTRUMENT_DECLINED');
    expect((await call('GET', `/v2/checkout/orders/${orderId}`)).body.status).toBe('APPROVED');
    expect((await call('POST', `/v2/checkout/orders/${orderId}/capture`)).status).toBe(201);
  });

  it('rejects fault specs it does not know', async () => {
    const response = await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'nope', mode: 'error' }),
    });
    expect(response.status).toBe(400);
  });
});

describe('webhooks', () => {
  it('are signed as PayPal documents: verifiable with node:crypto and the certificate at PAYPAL-CERT-URL', async () => {
    const { captureId } = await capturedOrder();
    await sim.webhooks.idle();
    const delivery = received.find((candidate) => JSON.parse(candidate.body).resource.id === captureId)!;
    const headers = delivery.headers as Record<string, string>;
    expect(headers['paypal-auth-algo']).toBe('SHA256withRSA');
    expect(headers['paypal-cert-url']).toBe(sim.certUrl);
    const certificate = new X509Certificate(await (await fetch(headers['paypal-cert-url'])).text());
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(new Date(certificate.validTo).getTime()).toBeGreaterThan(Date.now());
    const signed = (body: string) =>
      Buffer.from(
        payPalSignedText(
          headers['paypal-transmission-id'],
          headers['paypal-transmission-time'],
          sim.webhookId,
          body,
        ),
      );
    const signature = Buffer.from(headers['paypal-transmission-sig'], 'base64');
    expect(verify('sha256', signed(delivery.body), certificate.publicKey, signature)).toBe(true);
    expect(
      verify('sha256', signed(delivery.body.replace('20.00', '2000.00')), certificate.publicKey, signature),
    ).toBe(false);

    const verification = (event: unknown, webhookId = sim.webhookId) => ({
      auth_algo: headers['paypal-auth-algo'],
      cert_url: headers['paypal-cert-url'],
      transmission_id: headers['paypal-transmission-id'],
      transmission_sig: headers['paypal-transmission-sig'],
      transmission_time: headers['paypal-transmission-time'],
      webhook_id: webhookId,
      webhook_event: event,
    });
    const event = JSON.parse(delivery.body);
    const verify1 = await call('POST', '/v1/notifications/verify-webhook-signature', verification(event));
    expect(verify1.body).toEqual({ verification_status: 'SUCCESS' });
    const forged = {
      ...event,
      resource: { ...event.resource, amount: { currency_code: 'USD', value: '2000.00' } },
    };
    expect(
      (await call('POST', '/v1/notifications/verify-webhook-signature', verification(forged))).body,
    ).toEqual({ verification_status: 'FAILURE' });
    expect(
      (await call('POST', '/v1/notifications/verify-webhook-signature', verification(event, 'OTHERWEBHOOK')))
        .body,
    ).toEqual({ verification_status: 'FAILURE' });
  });

  it('duplicate: one event arrives in two transmissions', async () => {
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'webhook', mode: 'duplicate', count: 1 }),
    });
    const orderId = await approvedOrder();
    await sim.webhooks.idle();
    const approvals = received.filter((delivery) => JSON.parse(delivery.body).resource.id === orderId);
    expect(approvals).toHaveLength(2);
    expect(JSON.parse(approvals[0].body).id).toBe(JSON.parse(approvals[1].body).id);
    expect(approvals[0].headers['paypal-transmission-id']).not.toBe(
      approvals[1].headers['paypal-transmission-id'],
    );
  });

  it('outOfOrder: the held event arrives after the next one', async () => {
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'webhook', mode: 'outOfOrder', count: 1 }),
    });
    const { orderId } = await capturedOrder();
    await sim.webhooks.idle();
    const types = received
      .map((delivery) => JSON.parse(delivery.body))
      .filter(
        (event) =>
          event.resource.id === orderId ||
          event.resource.supplementary_data?.related_ids.order_id === orderId,
      )
      .map((event) => event.event_type);
    expect(types).toEqual(['PAYMENT.CAPTURE.COMPLETED', 'CHECKOUT.ORDER.APPROVED']);
  });

  it('drop: the event is recorded but never delivered; a failed delivery is retried', async () => {
    await fetch(`${sim.url}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ operation: 'webhook', mode: 'drop', count: 1 }),
    });
    const orderId = await approvedOrder();
    await sim.webhooks.idle();
    expect(received.filter((delivery) => JSON.parse(delivery.body).resource.id === orderId)).toHaveLength(0);
    const paid = await approvedOrder();
    await sim.webhooks.idle();
    nextReceiverStatuses = [500];
    const captured = await call('POST', `/v2/checkout/orders/${paid}/capture`);
    const captureId = captured.body.purchase_units[0].payments.captures[0].id as string;
    await sim.webhooks.idle();
    const attempts = sim.webhooks.deliveries.filter((delivery) => delivery.body.includes(captureId));
    expect(attempts.map((delivery) => [delivery.attempt, delivery.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });

  it('a dispute opened through /__sim sends CUSTOMER.DISPUTE.CREATED for the capture', async () => {
    const { captureId } = await capturedOrder('12.00');
    const response = await fetch(`${sim.url}/__sim/disputes`, {
      method: 'POST',
      body: JSON.stringify({ capture_id: captureId, amount: { currency_code: 'USD', value: '12.00' } }),
    });
    expect(response.status).toBe(201);
    await sim.webhooks.idle();
    const [dispute] = eventsOf('CUSTOMER.DISPUTE.CREATED');
    expect(dispute.resource.disputed_transactions[0].seller_transaction_id).toBe(captureId);
    expect(dispute.resource.dispute_amount).toEqual({ currency_code: 'USD', value: '12.00' });
  });
});
