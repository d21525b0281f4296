/**
 * The PayPal simulator's state: OAuth2 tokens, orders (created → approved → completed), their captures, refunds
 * (partial or full), disputes, the answers remembered per PayPal-Request-Id, and the fault rules. Every operation is
 * synchronous, so two requests with one PayPal-Request-Id can never both act: the second finds the first's answer.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { FaultRules, Fault as GenericFault, FaultSpec as GenericFaultSpec } from '../simulation/fault-rules';

export const PAYPAL_OPERATIONS = [
  'token',
  'createOrder',
  'getOrder',
  'captureOrder',
  'getCapture',
  'refundCapture',
  'verifyWebhookSignature',
  'webhook',
] as const;
export type PayPalOperation = (typeof PAYPAL_OPERATIONS)[number];

/**
 * Request faults (any operation but `webhook`): error: 500 INTERNAL_SERVER_ERROR. timeout: never answered (the socket stays open until the client gives up or the simulator
 * closes). lostAnswer: performed as usual (and remembered under its PayPal-Request-Id), then the connection is reset.
 * declined (captureOrder): 422 INSTRUMENT_DECLINED, nothing captured.
 * Webhook faults (operation `webhook`): duplicate: the event is delivered twice (two transmissions). outOfOrder: the
 * event is held back and delivered after the next one (or after the hold time when none comes). drop: never
 * delivered (as when every retry failed).
 */
export const PAYPAL_FAULT_MODES = [
  'error',
  'timeout',
  'lostAnswer',
  'declined',
  'duplicate',
  'outOfOrder',
  'drop',
] as const;
export type PayPalFaultMode = (typeof PAYPAL_FAULT_MODES)[number];
export const WEBHOOK_FAULT_MODES: readonly PayPalFaultMode[] = ['duplicate', 'outOfOrder', 'drop'];
export type PayPalFaultSpec = GenericFaultSpec<PayPalOperation, PayPalFaultMode>;
export type PayPalFault = GenericFault<PayPalOperation, PayPalFaultMode>;

export interface Money {
  currency_code: string;
  value: string;
}

export interface Link {
  href: string;
  rel: string;
  method: 'GET' | 'POST';
}

export type OrderStatus = 'CREATED' | 'PAYER_ACTION_REQUIRED' | 'APPROVED' | 'COMPLETED';
export type CaptureStatus = 'COMPLETED' | 'PARTIALLY_REFUNDED' | 'REFUNDED';

export interface SimulatedPurchaseUnit {
  reference_id: string;
  amount: Money;
  description?: string;
  custom_id?: string;
  invoice_id?: string;
}

export interface SimulatedOrder {
  id: string;
  status: OrderStatus;
  purchaseUnit: SimulatedPurchaseUnit;
  returnUrl: string | null;
  cancelUrl: string | null;
  /** Whether the order was created with payment_source.paypal (status PAYER_ACTION_REQUIRED, link payer-action). */
  paymentSource: boolean;
  payerId: string | null;
  captureId: string | null;
  createTime: string;
  updateTime: string;
}

export interface SimulatedCapture {
  id: string;
  orderId: string;
  amount: Money;
  status: CaptureStatus;
  /** Refunded so far, in cents. */
  refundedCents: bigint;
  customId?: string;
  invoiceId?: string;
  createTime: string;
  updateTime: string;
}

export interface SimulatedRefund {
  id: string;
  captureId: string;
  amount: Money;
  noteToPayer?: string;
  createTime: string;
}

export interface SimulatedDispute {
  disputeId: string;
  captureId: string;
  amount: Money;
  reason: string;
  createTime: string;
}

/** A PayPal error answer ({ name, message, debug_id, details }) as an exception the handlers throw. */
export class PayPalFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.name));
  }
}

const debugId = () => randomBytes(7).toString('hex');

export function payPalError(
  status: number,
  name: string,
  message: string,
  details?: { issue: string; description?: string; field?: string; value?: string; location?: string }[],
): PayPalFailure {
  return new PayPalFailure(status, {
    name,
    message,
    debug_id: debugId(),
    ...(details ? { details } : {}),
  });
}

/** The issues the simulator reports, with the descriptions PayPal's specifications enumerate for them. */
export const PAYPAL_ISSUES = {
  MALFORMED_REQUEST_JSON: 'The request JSON is not well formed.',
  MISSING_REQUIRED_PARAMETER: 'A required parameter is missing.',
  INVALID_PARAMETER_VALUE: 'A parameter value is not valid.',
  INVALID_PARAMETER_SYNTAX: 'The value of a field does not conform to the expected format.',
  INVALID_ARRAY_MIN_ITEMS: 'The number of items in an array parameter is too small.',
  NOT_SUPPORTED: 'This field is not currently supported.',
  CANNOT_BE_ZERO_OR_NEGATIVE:
    'Must be greater than zero. If the currency supports decimals, only two decimal place precision is supported.',
  INVALID_RESOURCE_ID: 'Specified resource ID does not exist. Please check the resource ID and try again.',
  ORDER_NOT_APPROVED:
    "Payer has not yet approved the Order for payment. Please redirect the payer to the 'rel':'approve' url returned as part of the HATEOAS links within the Create Order call or provide a valid `payment_source` in the request.",
  ORDER_ALREADY_CAPTURED: "Order already captured.If 'intent=CAPTURE' only one capture per order is allowed.",
  INSTRUMENT_DECLINED:
    "The instrument presented  was either declined by the processor or bank, or it can't be used for this payment.",
  CAPTURE_FULLY_REFUNDED: 'The capture has already been fully refunded',
  REFUND_CAPTURE_CURRENCY_MISMATCH: 'Refund must be in the same currency as the capture',
  REFUND_AMOUNT_EXCEEDED:
    'The refund amount must be less than or equal to the capture amount that has not yet been refunded.',
} as const;
export type PayPalIssue = keyof typeof PAYPAL_ISSUES;

const ERROR_NAMES: Record<number, [name: string, message: string]> = {
  400: ['INVALID_REQUEST', 'Request is not well-formed, syntactically incorrect, or violates schema.'],
  404: ['RESOURCE_NOT_FOUND', 'The specified resource does not exist.'],
  422: [
    'UNPROCESSABLE_ENTITY',
    'The requested action could not be performed, semantically incorrect, or failed business validation.',
  ],
};

/** A 400, 404 or 422 with one issue, as PayPal answers them. */
export function payPalIssue(status: 400 | 404 | 422, issue: PayPalIssue, field?: string): PayPalFailure {
  const [name, message] = ERROR_NAMES[status];
  return payPalError(status, name, message, [
    { ...(field === undefined ? {} : { field, location: 'body' }), issue, description: PAYPAL_ISSUES[issue] },
  ]);
}

export const notFound = () => payPalIssue(404, 'INVALID_RESOURCE_ID');

/** "20.00" → 2000n; amounts are decimal strings with at most two decimals (USD and its peers). */
export function cents(value: string): bigint {
  const match = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) throw new Error(`not an amount: ${value}`);
  return BigInt(match[1]) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'));
}

export const decimal = (amount: bigint): string =>
  `${amount / 100n}.${String(amount % 100n).padStart(2, '0')}`;

/** PayPal ids: 17 upper-case letters and digits (orders, captures, refunds). */
export function payPalId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return Array.from(randomBytes(17), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Payer and merchant account ids: 13 characters without the look-alikes 0, 1, I and O. */
export function payPalAccountId(): string {
  const alphabet = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  return Array.from(randomBytes(13), (byte) => alphabet[byte % alphabet.length]).join('');
}

export const payPalTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class PayPalState {
  readonly orders = new Map<string, SimulatedOrder>();
  readonly captures = new Map<string, SimulatedCapture>();
  readonly refunds = new Map<string, SimulatedRefund>();
  readonly disputes = new Map<string, SimulatedDispute>();
  private readonly tokens = new Map<string, number>();
  /** Answers remembered per operation, resource and PayPal-Request-Id. */
  private readonly remembered = new Map<string, { status: number; body: unknown }>();
  readonly faults: FaultRules<PayPalOperation, PayPalFaultMode>;

  constructor(
    seed = 1,
    readonly now: () => number = Date.now,
  ) {
    this.faults = new FaultRules(seed);
  }

  issueToken(ttlSeconds: number): string {
    const token = `A21AA${randomBytes(32).toString('base64url')}`;
    this.tokens.set(token, this.now() + ttlSeconds * 1000);
    return token;
  }

  tokenValid(token: string): boolean {
    const expires = this.tokens.get(token);
    return expires !== undefined && expires > this.now();
  }

  /** The answer given before to this request id, if any. */
  recall(key: string): { status: number; body: unknown } | undefined {
    return this.remembered.get(key);
  }

  remember(key: string, answer: { status: number; body: unknown }): void {
    this.remembered.set(key, answer);
  }

  createOrder(
    input: Omit<SimulatedOrder, 'id' | 'status' | 'payerId' | 'captureId' | 'createTime' | 'updateTime'>,
  ) {
    const time = payPalTime(this.now());
    const order: SimulatedOrder = {
      ...input,
      id: payPalId(),
      status: input.paymentSource ? 'PAYER_ACTION_REQUIRED' : 'CREATED',
      payerId: null,
      captureId: null,
      createTime: time,
      updateTime: time,
    };
    this.orders.set(order.id, order);
    return order;
  }

  /** The buyer approves on the checkout page; false when the order cannot be approved (already captured). */
  approve(order: SimulatedOrder): boolean {
    if (order.status === 'APPROVED') return true;
    if (order.status === 'COMPLETED') return false;
    order.status = 'APPROVED';
    order.payerId = payPalAccountId();
    order.updateTime = payPalTime(this.now());
    return true;
  }

  capture(order: SimulatedOrder): SimulatedCapture {
    if (order.status === 'COMPLETED') throw payPalIssue(422, 'ORDER_ALREADY_CAPTURED');
    if (order.status !== 'APPROVED') throw payPalIssue(422, 'ORDER_NOT_APPROVED');
    const time = payPalTime(this.now());
    const capture: SimulatedCapture = {
      id: payPalId(),
      orderId: order.id,
      amount: { ...order.purchaseUnit.amount },
      status: 'COMPLETED',
      refundedCents: 0n,
      customId: order.purchaseUnit.custom_id,
      invoiceId: order.purchaseUnit.invoice_id,
      createTime: time,
      updateTime: time,
    };
    this.captures.set(capture.id, capture);
    order.status = 'COMPLETED';
    order.captureId = capture.id;
    order.updateTime = time;
    return capture;
  }

  /** A refund of `amount` (the whole remainder when absent). */
  refund(capture: SimulatedCapture, amount: Money | undefined, noteToPayer?: string): SimulatedRefund {
    const captured = cents(capture.amount.value);
    const remaining = captured - capture.refundedCents;
    if (remaining === 0n) throw payPalIssue(422, 'CAPTURE_FULLY_REFUNDED');
    if (amount && amount.currency_code !== capture.amount.currency_code)
      throw payPalIssue(422, 'REFUND_CAPTURE_CURRENCY_MISMATCH');
    const wanted = amount ? cents(amount.value) : remaining;
    if (wanted <= 0n) throw payPalIssue(422, 'CANNOT_BE_ZERO_OR_NEGATIVE');
    if (wanted > remaining) throw payPalIssue(422, 'REFUND_AMOUNT_EXCEEDED');
    const time = payPalTime(this.now());
    capture.refundedCents += wanted;
    capture.status = capture.refundedCents === captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
    capture.updateTime = time;
    const refund: SimulatedRefund = {
      id: payPalId(),
      captureId: capture.id,
      amount: { currency_code: capture.amount.currency_code, value: decimal(wanted) },
      noteToPayer,
      createTime: time,
    };
    this.refunds.set(refund.id, refund);
    return refund;
  }

  openDispute(capture: SimulatedCapture, amount: Money | undefined, reason: string): SimulatedDispute {
    const dispute: SimulatedDispute = {
      disputeId: `PP-D-${randomUUID().slice(0, 8).toUpperCase()}`,
      captureId: capture.id,
      amount: amount ?? { ...capture.amount },
      reason,
      createTime: payPalTime(this.now()),
    };
    this.disputes.set(dispute.disputeId, dispute);
    return dispute;
  }
}
