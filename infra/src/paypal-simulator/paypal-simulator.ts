/**
 * A PayPal REST API simulator for development and tests: OAuth2 client-credentials tokens, Orders v2 create / get /
 * capture, captures get / refund, verify-webhook-signature, the buyer's approval page (/checkoutnow), and webhook
 * delivery signed with its own key and self-signed certificate (served at the PAYPAL-CERT-URL). Shapes follow
 * PayPal's published OpenAPI specifications (checked in tests, paypal-spec-validator.ts); PayPal-Request-Id makes
 * create, capture and refund idempotent. Fault injection over HTTP (/__sim/faults) or through `state.faults`.
 */
import { generateKeyPairSync, KeyObject, randomUUID, verify as verifySignature } from 'node:crypto';
import { createServer, IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { isDeepStrictEqual } from 'node:util';
import { CONFIG_SCHEMA } from '../config/config.schema';
import { parseFaultSpec } from '../simulation/fault-rules';
import {
  beginExchange,
  listen,
  ObservedExchange,
  readRequestBody,
  sendJson,
} from '../simulation/http-server';
import { checkoutPage, messagePage } from './checkout-page';
import {
  captureView,
  disputeView,
  minimalOrderView,
  minimalRefundView,
  orderView,
  refundView,
} from './paypal-resources';
import {
  cents,
  Money,
  notFound,
  PAYPAL_FAULT_MODES,
  PAYPAL_OPERATIONS,
  PayPalFailure,
  payPalError,
  PayPalIssue,
  payPalIssue,
  PayPalOperation,
  PayPalState,
  SimulatedOrder,
  WEBHOOK_FAULT_MODES,
} from './paypal-state';
import { selfSignedCertificate } from './self-signed-certificate';
import {
  PAYPAL_AUTH_ALGO,
  payPalSignedText,
  WebhookDispatcher,
  webhookEvent,
  WebhookEventType,
} from './webhook-dispatcher';

const configDefault = (key: 'PAYPAL_CLIENT_ID' | 'PAYPAL_CLIENT_SECRET' | 'PAYPAL_WEBHOOK_ID') =>
  CONFIG_SCHEMA[key].default!;

export const PAYPAL_SIMULATOR_DEFAULTS = {
  port: 4020,
  host: '127.0.0.1',
  /** The API's defaults (PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET, PAYPAL_WEBHOOK_ID) are the simulator's. */
  clientId: configDefault('PAYPAL_CLIENT_ID'),
  clientSecret: configDefault('PAYPAL_CLIENT_SECRET'),
  /** PayPal webhook ids are upper-case letters and digits. */
  webhookId: configDefault('PAYPAL_WEBHOOK_ID'),
  tokenTtlSeconds: 32_400,
  webhookRetryDelaysMs: [1_000, 5_000, 30_000, 120_000],
  webhookHoldMs: 2_000,
} as const;

export interface PayPalSimulatorOptions {
  /** Default 4020; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** The REST app's credentials POST /v1/oauth2/token accepts (HTTP basic). */
  clientId?: string;
  clientSecret?: string;
  /** Where webhook events are posted (Stratus: <API>/api/webhooks/paypal); none: recorded, not delivered. */
  webhookUrl?: string;
  /** The id PayPal gives the webhook subscription; part of every signature. */
  webhookId?: string;
  tokenTtlSeconds?: number;
  /** Waits before each retry of a failed webhook delivery (0s in tests). */
  webhookRetryDelaysMs?: readonly number[];
  /** How long an `outOfOrder` event waits for a later one. */
  webhookHoldMs?: number;
  /** Seed of the PRNG behind probabilistic faults; default 1. */
  seed?: number;
  /** Signing key (RSA); generated at start when absent. */
  privateKey?: KeyObject;
  /** Sees every API exchange (after the answer is decided); tests validate both sides against the specs here. */
  observe?: (exchange: PayPalExchange) => void;
}

export type PayPalExchange = ObservedExchange<PayPalOperation>;

export interface PayPalSimulator {
  /** Base URL of the REST API, e.g. http://127.0.0.1:4020 (what PAYPAL_API_URL takes, like https://api-m.sandbox.paypal.com). */
  url: string;
  port: number;
  clientId: string;
  clientSecret: string;
  webhookId: string;
  /** PAYPAL-CERT-URL of every delivery: the certificate, PEM. */
  certUrl: string;
  certificatePem: string;
  state: PayPalState;
  webhooks: WebhookDispatcher;
  /** Points webhook deliveries somewhere else (null: stop delivering). */
  setWebhookUrl(url: string | null): void;
  /** The buyer approves on the checkout page; answers where the browser is sent (return_url?token=…&PayerID=…). */
  approve(orderId: string): string;
  /** Opens a dispute (chargeback) on a capture and sends CUSTOMER.DISPUTE.CREATED; amount defaults to the capture's. */
  openDispute(captureId: string, amount?: Money, reason?: string): ReturnType<typeof disputeView>;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const REQUEST_ID = 'paypal-request-id';
const REQUEST_FAULT_MODES = PAYPAL_FAULT_MODES.filter((mode) => !WEBHOOK_FAULT_MODES.includes(mode));

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const invalidRequest = (issue: PayPalIssue, field = '') => payPalIssue(400, issue, field);

const AMOUNT = /^\d{1,10}(\.\d{1,2})?$/;

function parseMoney(value: unknown, field: string): Money {
  if (!isRecord(value)) throw invalidRequest('MISSING_REQUIRED_PARAMETER', field);
  if (typeof value.currency_code !== 'string' || !/^[A-Z]{3}$/.test(value.currency_code))
    throw invalidRequest('INVALID_PARAMETER_SYNTAX', `${field}/currency_code`);
  if (typeof value.value !== 'string' || !AMOUNT.test(value.value))
    throw invalidRequest('INVALID_PARAMETER_SYNTAX', `${field}/value`);
  return { currency_code: value.currency_code, value: value.value };
}

function optionalString(body: Record<string, unknown>, field: string, max: number): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length > max) throw invalidRequest('INVALID_PARAMETER_VALUE', field);
  return value;
}

/** The order's parts Stratus uses: one purchase unit (amount, ids, description) and the return/cancel URLs. */
function parseCreateOrder(body: unknown): Parameters<PayPalState['createOrder']>[0] {
  if (!isRecord(body)) throw invalidRequest('MALFORMED_REQUEST_JSON');
  if (body.intent !== 'CAPTURE') throw invalidRequest('INVALID_PARAMETER_VALUE', '/intent');
  const units = body.purchase_units;
  if (!Array.isArray(units) || units.length !== 1 || !isRecord(units[0]))
    throw invalidRequest(
      Array.isArray(units) && units.length > 1 ? 'NOT_SUPPORTED' : 'INVALID_ARRAY_MIN_ITEMS',
      '/purchase_units',
    );
  const unit = units[0];
  const amount = parseMoney(unit.amount, '/purchase_units/@reference_id==default/amount');
  if (cents(amount.value) <= 0n)
    throw payPalIssue(
      422,
      'CANNOT_BE_ZERO_OR_NEGATIVE',
      '/purchase_units/@reference_id==default/amount/value',
    );
  const experience =
    isRecord(body.payment_source) && isRecord(body.payment_source.paypal)
      ? body.payment_source.paypal.experience_context
      : undefined;
  const context = isRecord(experience)
    ? experience
    : isRecord(body.application_context)
      ? body.application_context
      : {};
  const url = (name: string) => (typeof context[name] === 'string' ? (context[name] as string) : null);
  return {
    purchaseUnit: {
      reference_id: optionalString(unit, 'reference_id', 256) ?? 'default',
      amount,
      ...(unit.description === undefined ? {} : { description: optionalString(unit, 'description', 127) }),
      ...(unit.custom_id === undefined ? {} : { custom_id: optionalString(unit, 'custom_id', 255) }),
      ...(unit.invoice_id === undefined ? {} : { invoice_id: optionalString(unit, 'invoice_id', 127) }),
    },
    returnUrl: url('return_url'),
    cancelUrl: url('cancel_url'),
    paymentSource: isRecord(body.payment_source) && isRecord(body.payment_source.paypal),
  };
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidRequest('MALFORMED_REQUEST_JSON');
  }
}

function route(method: string, path: string): { operation: PayPalOperation; id?: string } | null {
  if (path === '/v1/oauth2/token') return method === 'POST' ? { operation: 'token' } : null;
  if (path === '/v2/checkout/orders') return method === 'POST' ? { operation: 'createOrder' } : null;
  if (path === '/v1/notifications/verify-webhook-signature')
    return method === 'POST' ? { operation: 'verifyWebhookSignature' } : null;
  let match = /^\/v2\/checkout\/orders\/([^/]+)$/.exec(path);
  if (match && method === 'GET') return { operation: 'getOrder', id: match[1] };
  match = /^\/v2\/checkout\/orders\/([^/]+)\/capture$/.exec(path);
  if (match && method === 'POST') return { operation: 'captureOrder', id: match[1] };
  match = /^\/v2\/payments\/captures\/([^/]+)$/.exec(path);
  if (match && method === 'GET') return { operation: 'getCapture', id: match[1] };
  match = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(path);
  if (match && method === 'POST') return { operation: 'refundCapture', id: match[1] };
  return null;
}

const wantsRepresentation = (headers: IncomingHttpHeaders) =>
  String(headers.prefer ?? '').toLowerCase() === 'return=representation';

export async function startPayPalSimulator(options: PayPalSimulatorOptions = {}): Promise<PayPalSimulator> {
  const defaults = PAYPAL_SIMULATOR_DEFAULTS;
  const clientId = options.clientId ?? defaults.clientId;
  const clientSecret = options.clientSecret ?? defaults.clientSecret;
  const webhookId = options.webhookId ?? defaults.webhookId;
  const tokenTtlSeconds = options.tokenTtlSeconds ?? defaults.tokenTtlSeconds;
  const state = new PayPalState(options.seed ?? 1);
  const privateKey = options.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const certificatePem = selfSignedCertificate(privateKey, {
    commonName: 'messageverificationcerts.sandbox.paypal.com',
    organization: 'Stratus PayPal simulator',
  });
  const certPath = `/v1/notifications/certs/CERT-SIM-${randomUUID().slice(0, 8)}`;
  // Filled in once listening; handlers only run after that.
  let base = '';
  let webhooks: WebhookDispatcher | null = null;

  const emit = (type: WebhookEventType, resourceType: string, summary: string, resource: object) =>
    webhooks!.emit(
      webhookEvent(base, type, resourceType, summary, resource as Record<string, unknown>, state.now()),
    );

  const findOrder = (id: string | undefined) => {
    const order = id === undefined ? undefined : state.orders.get(id);
    if (!order) throw notFound();
    return order;
  };
  const captureOf = (order: SimulatedOrder) =>
    order.captureId === null ? undefined : state.captures.get(order.captureId);

  const approve = (orderId: string): string => {
    const order = findOrder(orderId);
    const wasApproved = order.status === 'APPROVED';
    if (!state.approve(order)) throw payPalIssue(422, 'ORDER_ALREADY_CAPTURED');
    if (!wasApproved)
      emit(
        'CHECKOUT.ORDER.APPROVED',
        'checkout-order',
        `An order has been approved by buyer`,
        orderView(order, base, undefined),
      );
    const target = new URL(order.returnUrl ?? `${base}/checkoutnow/done`);
    target.searchParams.set('token', order.id);
    target.searchParams.set('PayerID', order.payerId!);
    return target.toString();
  };

  const openDispute = (captureId: string, amount?: Money, reason = 'MERCHANDISE_OR_SERVICE_NOT_RECEIVED') => {
    const capture = state.captures.get(captureId);
    if (!capture) throw notFound();
    const view = disputeView(state.openDispute(capture, amount, reason), base);
    emit('CUSTOMER.DISPUTE.CREATED', 'dispute', `A new dispute opened with Case # ${view.dispute_id}`, view);
    return view;
  };

  /** The operation's answer, remembered under PayPal-Request-Id when it succeeded. */
  const idempotent = (key: string | null, perform: () => Answer): Answer => {
    if (key !== null) {
      const recalled = state.recall(key);
      if (recalled) return recalled;
    }
    const answer = perform();
    if (key !== null && answer.status < 300)
      state.remember(key, { status: answer.status, body: answer.body });
    return answer;
  };

  const perform = (
    operation: PayPalOperation,
    id: string | undefined,
    body: unknown,
    headers: IncomingHttpHeaders,
  ): Answer => {
    const requestId = typeof headers[REQUEST_ID] === 'string' ? (headers[REQUEST_ID] as string) : null;
    switch (operation) {
      case 'token':
        throw new Error('token is answered before authentication');
      case 'createOrder':
        return idempotent(requestId === null ? null : `createOrder:${requestId}`, () => {
          const order = state.createOrder(parseCreateOrder(body));
          const view = wantsRepresentation(headers)
            ? orderView(order, base, undefined)
            : minimalOrderView(order, base, undefined);
          return { status: 201, body: view };
        });
      case 'getOrder': {
        const order = findOrder(id);
        return { status: 200, body: orderView(order, base, captureOf(order)) };
      }
      case 'captureOrder':
        return idempotent(requestId === null ? null : `captureOrder:${id}:${requestId}`, () => {
          const order = findOrder(id);
          if (body !== undefined && !isRecord(body)) throw invalidRequest('MALFORMED_REQUEST_JSON');
          const capture = state.capture(order);
          const resource = {
            ...captureView(capture, base),
            supplementary_data: { related_ids: { order_id: order.id } },
          };
          emit(
            'PAYMENT.CAPTURE.COMPLETED',
            'capture',
            `Payment completed for $ ${capture.amount.value} ${capture.amount.currency_code}`,
            resource,
          );
          const view = wantsRepresentation(headers)
            ? orderView(order, base, capture)
            : minimalOrderView(order, base, capture);
          return { status: 201, body: view };
        });
      case 'getCapture': {
        const capture = id === undefined ? undefined : state.captures.get(id);
        if (!capture) throw notFound();
        return { status: 200, body: captureView(capture, base) };
      }
      case 'refundCapture':
        return idempotent(requestId === null ? null : `refundCapture:${id}:${requestId}`, () => {
          const capture = id === undefined ? undefined : state.captures.get(id);
          if (!capture) throw notFound();
          if (body !== undefined && !isRecord(body)) throw invalidRequest('MALFORMED_REQUEST_JSON');
          const input = (body ?? {}) as Record<string, unknown>;
          const amount = input.amount === undefined ? undefined : parseMoney(input.amount, '/amount');
          const refund = state.refund(capture, amount, optionalString(input, 'note_to_payer', 255));
          emit(
            'PAYMENT.CAPTURE.REFUNDED',
            'refund',
            `A $ ${refund.amount.value} ${refund.amount.currency_code} capture payment was refunded`,
            refundView(refund, capture, base),
          );
          const view = wantsRepresentation(headers)
            ? refundView(refund, capture, base)
            : minimalRefundView(refund, capture, base);
          return { status: 201, body: view };
        });
      case 'verifyWebhookSignature':
        return { status: 200, body: { verification_status: verifyWebhook(body) ? 'SUCCESS' : 'FAILURE' } };
      case 'webhook':
        throw notFound();
    }
  };

  /** PayPal's check: the signature over transmission id, time, webhook id and the CRC32 of the event as delivered. */
  const verifyWebhook = (body: unknown): boolean => {
    if (!isRecord(body)) throw invalidRequest('MALFORMED_REQUEST_JSON');
    const text = (name: string) => {
      if (typeof body[name] !== 'string') throw invalidRequest('MISSING_REQUIRED_PARAMETER', `/${name}`);
      return body[name] as string;
    };
    const [transmissionId, transmissionTime, signature, certUrl, authAlgo, forWebhook] = [
      'transmission_id',
      'transmission_time',
      'transmission_sig',
      'cert_url',
      'auth_algo',
      'webhook_id',
    ].map(text);
    if (!isRecord(body.webhook_event)) throw invalidRequest('MISSING_REQUIRED_PARAMETER', '/webhook_event');
    if (forWebhook !== webhookId || authAlgo !== PAYPAL_AUTH_ALGO || certUrl !== `${base}${certPath}`)
      return false;
    // The signature covers the bytes delivered; the caller sends the event back parsed, so the delivered body
    // stands in when it is the same event.
    const delivered = webhooks!.transmission(transmissionId);
    const rawEvent =
      delivered && isDeepStrictEqual(JSON.parse(delivered.body), body.webhook_event)
        ? delivered.body
        : JSON.stringify(body.webhook_event);
    return verifySignature(
      'sha256',
      Buffer.from(payPalSignedText(transmissionId, transmissionTime, webhookId, rawEvent)),
      privateKey,
      Buffer.from(signature, 'base64'),
    );
  };

  const authenticate = (headers: IncomingHttpHeaders) => {
    const match = /^Bearer (.+)$/.exec(headers.authorization ?? '');
    if (!match || !state.tokenValid(match[1]))
      throw new PayPalFailure(401, {
        name: 'AUTHENTICATION_FAILURE',
        message:
          'Authentication failed due to missing authorization header, or invalid authentication credentials.',
        links: [{ href: 'https://developer.paypal.com/docs/api/overview/#error', rel: 'information_link' }],
      });
  };

  const issueToken = (headers: IncomingHttpHeaders, rawBody: string): Answer => {
    const expected = `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
    if (headers.authorization !== expected)
      return {
        status: 401,
        body: { error: 'invalid_client', error_description: 'Client Authentication failed' },
      };
    if (new URLSearchParams(rawBody).get('grant_type') !== 'client_credentials')
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'unsupported grant_type' },
      };
    return {
      status: 200,
      body: {
        scope:
          'https://uri.paypal.com/services/payments/payment https://uri.paypal.com/services/payments/refund',
        access_token: state.issueToken(tokenTtlSeconds),
        token_type: 'Bearer',
        app_id: 'APP-SIMULATOR',
        expires_in: tokenTtlSeconds,
        nonce: `${new Date(state.now()).toISOString()}${randomUUID().slice(0, 8)}`,
      },
    };
  };

  const handleApi = async (
    request: IncomingMessage,
    path: string,
    exchange: PayPalExchange,
  ): Promise<Answer | 'hold' | 'drop'> => {
    const method = request.method ?? 'GET';
    const rawBody = await readRequestBody(request);
    if (rawBody === null) throw invalidRequest('INVALID_PARAMETER_VALUE');
    const matched = route(method, path);
    if (!matched) throw notFound();
    exchange.operation = matched.operation;
    const body = matched.operation === 'token' ? undefined : parseJson(rawBody);
    exchange.requestBody = body;
    if (matched.operation !== 'token') authenticate(request.headers);

    const fault = state.faults.take(matched.operation, (mode) => REQUEST_FAULT_MODES.includes(mode));
    if (fault?.mode === 'timeout') return 'hold';
    if (fault?.mode === 'error')
      throw payPalError(500, 'INTERNAL_SERVER_ERROR', 'An internal server error occurred.');
    if (fault?.mode === 'declined' && matched.operation === 'captureOrder') {
      findOrder(matched.id);
      throw payPalIssue(422, 'INSTRUMENT_DECLINED');
    }
    const answer =
      matched.operation === 'token'
        ? issueToken(request.headers, rawBody)
        : perform(matched.operation, matched.id, body, request.headers);
    // A lost answer: the operation took effect (and is remembered under its PayPal-Request-Id); the client never
    // hears of it, as when a proxy or the network drops the connection mid-way.
    return fault?.mode === 'lostAnswer' ? 'drop' : answer;
  };

  const sendHtml = (response: ServerResponse, status: number, html: string) => {
    response.writeHead(status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(html)),
    });
    response.end(html);
  };
  const redirect = (response: ServerResponse, location: string) => {
    response.writeHead(303, { location, 'content-length': '0' });
    response.end();
  };

  const handleCheckout = async (request: IncomingMessage, response: ServerResponse, url: URL) => {
    const method = request.method ?? 'GET';
    if (url.pathname === '/checkoutnow' && method === 'GET') {
      const order = state.orders.get(url.searchParams.get('token') ?? '');
      if (!order)
        return sendHtml(response, 404, messagePage('Order not found', 'This checkout link is not valid.'));
      if (order.status === 'COMPLETED')
        return sendHtml(
          response,
          409,
          messagePage('Already paid', `Order ${order.id} was already captured.`),
        );
      return sendHtml(response, 200, checkoutPage(order));
    }
    if (url.pathname === '/checkoutnow/done' && method === 'GET')
      return sendHtml(
        response,
        200,
        messagePage('Done', 'The order has no return_url; you can close this page.'),
      );
    const action = /^\/checkoutnow\/(approve|cancel)$/.exec(url.pathname);
    if (action && method === 'POST') {
      const form = new URLSearchParams((await readRequestBody(request, 64 * 1024)) ?? '');
      const order = state.orders.get(form.get('token') ?? '');
      if (!order)
        return sendHtml(response, 404, messagePage('Order not found', 'This checkout link is not valid.'));
      if (action[1] === 'cancel') {
        const target = new URL(order.cancelUrl ?? `${base}/checkoutnow/done`);
        target.searchParams.set('token', order.id);
        return redirect(response, target.toString());
      }
      try {
        return redirect(response, approve(order.id));
      } catch (error) {
        if (error instanceof PayPalFailure)
          return sendHtml(
            response,
            409,
            messagePage('Already paid', `Order ${order.id} was already captured.`),
          );
        throw error;
      }
    }
    return sendHtml(response, 404, messagePage('Not found', url.pathname));
  };

  const handleSim = async (request: IncomingMessage, response: ServerResponse, path: string) => {
    const method = request.method ?? 'GET';
    const rawBody = await readRequestBody(request);
    const body = rawBody === null ? undefined : parseJson(rawBody);
    if (path === '/__sim/faults') {
      if (method === 'GET') return sendJson(response, 200, { data: state.faults.list() });
      if (method === 'DELETE') {
        state.faults.clear();
        return sendJson(response, 200, {});
      }
      if (method === 'POST') {
        const { spec, errors } = parseFaultSpec(body, PAYPAL_OPERATIONS, PAYPAL_FAULT_MODES);
        if (!spec) return sendJson(response, 400, { name: 'INVALID_REQUEST', details: errors });
        return sendJson(response, 200, state.faults.add(spec));
      }
    }
    if (path === '/__sim/webhooks' && method === 'GET')
      return sendJson(response, 200, {
        url: webhooks!.url,
        webhook_id: webhookId,
        events: webhooks!.events,
        deliveries: webhooks!.deliveries,
      });
    if (path === '/__sim/webhooks' && method === 'PUT') {
      const url = isRecord(body) ? body.url : undefined;
      if (url !== null && (typeof url !== 'string' || !URL.canParse(url)))
        return sendJson(response, 400, {
          name: 'INVALID_REQUEST',
          details: [{ field: 'url', reason: 'url must be an absolute URL or null' }],
        });
      webhooks!.url = url;
      return sendJson(response, 200, { url });
    }
    const resend = /^\/__sim\/webhooks\/([^/]+)\/resend$/.exec(path);
    if (resend && method === 'POST') {
      const event = webhooks!.resend(resend[1]);
      return event ? sendJson(response, 202, event) : sendJson(response, 404, notFound().body);
    }
    const approval = /^\/__sim\/orders\/([^/]+)\/approve$/.exec(path);
    if (approval && method === 'POST') return sendJson(response, 200, { redirect_url: approve(approval[1]) });
    if (path === '/__sim/disputes' && method === 'POST') {
      if (!isRecord(body) || typeof body.capture_id !== 'string')
        throw invalidRequest('MISSING_REQUIRED_PARAMETER', '/capture_id');
      const amount = body.amount === undefined ? undefined : parseMoney(body.amount, '/amount');
      const reason = typeof body.reason === 'string' ? body.reason : undefined;
      return sendJson(response, 201, openDispute(body.capture_id, amount, reason));
    }
    throw notFound();
  };

  const server = createServer((request, response) => {
    const { url, exchange, finish } = beginExchange(
      request,
      response,
      options.observe,
      (seen) => seen.operation !== null,
    );
    const path = url.pathname;
    let work: Promise<unknown>;
    if (path.startsWith('/__sim/')) work = handleSim(request, response, path);
    else if (path === '/checkoutnow' || path.startsWith('/checkoutnow/'))
      work = handleCheckout(request, response, url);
    else if (path === certPath && request.method === 'GET') {
      response.writeHead(200, {
        'content-type': 'application/x-pem-file',
        'content-length': String(Buffer.byteLength(certificatePem)),
      });
      response.end(certificatePem);
      work = Promise.resolve();
    } else
      work = handleApi(request, path, exchange).then((result) => {
        if (result === 'drop') request.socket.destroy();
        else if (result !== 'hold') finish(result.status, result.body, result.headers);
      });
    work.catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof PayPalFailure) finish(error.status, error.body, error.headers);
      else
        finish(500, {
          name: 'INTERNAL_SERVER_ERROR',
          message: 'An internal server error occurred.',
          debug_id: 'simulator',
        });
    });
  });

  // Longer than clients keep idle sockets, so the simulator never closes one a client is about to reuse (a
  // reset the client would take for a fault); close() drops them anyway.
  server.keepAliveTimeout = 30_000;
  const listening = await listen(server, options.port ?? defaults.port, options.host ?? defaults.host);
  base = listening.origin;
  const certUrl = `${base}${certPath}`;
  webhooks = new WebhookDispatcher({
    privateKey,
    certUrl,
    webhookId,
    url: options.webhookUrl ?? null,
    faults: state.faults,
    retryDelaysMs: options.webhookRetryDelaysMs ?? defaults.webhookRetryDelaysMs,
    holdMs: options.webhookHoldMs ?? defaults.webhookHoldMs,
    now: state.now,
  });
  const dispatcher = webhooks;

  return {
    url: base,
    port: listening.port,
    clientId,
    clientSecret,
    webhookId,
    certUrl,
    certificatePem,
    state,
    webhooks: dispatcher,
    setWebhookUrl(url) {
      dispatcher.url = url;
    },
    approve,
    openDispute,
    close() {
      dispatcher.close();
      return listening.close();
    },
  };
}
