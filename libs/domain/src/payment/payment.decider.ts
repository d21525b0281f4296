import { formatMoney, money, parseMoney } from '../money/money';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import { providerAmountText } from './payment-provider.port';
import {
  PAYMENT_PROVIDERS,
  type PaymentCaptureVia,
  type PaymentEvent,
  type PaymentProviderName,
} from './payment.events';

export const MAX_PAYMENT_REASON_LENGTH = 500;
const CAPTURE_VIAS: readonly PaymentCaptureVia[] = ['return', 'webhook', 'poll'];

/** Configured bounds of a customer payment, in micros (from config, passed in the command: the domain reads none). */
export interface PaymentLimits {
  min: bigint;
  max: bigint;
  /** Sum of one organization's payments initiated in one UTC day (failed and expired ones excluded). */
  daily: bigint;
}

/** Stream `payment-<paymentId>`. `amount` is the customer's input: a USD decimal string of at most 2 decimals. */
export type InitiatePayment = Command<
  'InitiatePayment',
  {
    paymentId: string;
    organizationId: string;
    provider: PaymentProviderName;
    amount: string;
    limits: PaymentLimits;
    /** What the organization already initiated today (the caller reads it from the payments read model). */
    initiatedToday: bigint;
    providerOrderId: string;
    redirectUrl: string;
  }
>;
/** The customer approved at the provider (PayPal return, CHECKOUT.ORDER.APPROVED). Repeats record nothing. */
export type ApprovePayment = Command<'ApprovePayment', Record<string, never>>;
/**
 * The provider's answer says the money was taken: `amount`/`currency` are the provider's. The same capture again
 * records nothing; a capture is recorded even after expiry or failure (the money was taken: it must be credited).
 */
export type RecordPaymentCapture = Command<
  'RecordPaymentCapture',
  { captureId: string; amount: string; currency: string; via: PaymentCaptureVia }
>;
export type FailPayment = Command<'FailPayment', { reason: string }>;
/** The workflow's deadline passed without approval or capture. A payment already settled records nothing. */
export type ExpirePayment = Command<'ExpirePayment', Record<string, never>>;
/** Record a refund the provider made; `walletDebited` is what the wallet's balance covered (<= amount). */
export type RecordPaymentRefund = Command<
  'RecordPaymentRefund',
  { refundId: string; amount: bigint; reason: string; walletDebited: bigint }
>;
export type RecordPaymentDispute = Command<
  'RecordPaymentDispute',
  { disputeId: string; amount: bigint; reason: string; walletDebited: bigint }
>;
export type PaymentCommand =
  | InitiatePayment
  | ApprovePayment
  | RecordPaymentCapture
  | FailPayment
  | ExpirePayment
  | RecordPaymentRefund
  | RecordPaymentDispute;

interface PaymentBase {
  paymentId: string;
  organizationId: string;
  provider: PaymentProviderName;
  amount: bigint;
  providerOrderId: string;
  redirectUrl: string;
}
interface PaymentSettlement {
  captureId: string;
  captured: bigint;
  refunded: bigint;
  disputed: bigint;
  /** Refund and dispute ids already recorded (a handful per payment at most). */
  settledIds: readonly string[];
}
export type PaymentState =
  | { status: 'none' }
  | ({ status: 'initiated' } & PaymentBase)
  | ({ status: 'approved' } & PaymentBase)
  | ({ status: 'captured' } & PaymentBase & PaymentSettlement)
  | ({ status: 'refunded' } & PaymentBase & PaymentSettlement)
  | ({ status: 'disputed' } & PaymentBase & PaymentSettlement)
  | ({ status: 'failed'; reason: string } & PaymentBase)
  | ({ status: 'expired' } & PaymentBase);
export type PaymentStatus = PaymentState['status'];
export type SettledPaymentState = Extract<PaymentState, { status: 'captured' | 'refunded' | 'disputed' }>;

// ---- amounts ----

const TWO_DECIMALS = /^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/;

/** A USD amount typed by a person (payment, refund): a decimal string with at most 2 decimals, > 0. Micros. */
export function parseUsdAmount(input: unknown, field = 'amount'): bigint {
  if (typeof input !== 'string' || !TWO_DECIMALS.test(input)) {
    throw new DomainError(
      'validation',
      'invalid_amount',
      `${field} must be a USD decimal string with at most 2 decimals, such as "20.00"`,
      { field },
    );
  }
  return parseMoney(input, { field });
}

/** A customer's amount: a USD decimal string with at most 2 decimals inside the limits. Returns micros. */
export function parsePaymentAmount(input: unknown, limits: PaymentLimits, initiatedToday = 0n): bigint {
  const amount = parseUsdAmount(input);
  if (amount < limits.min) {
    throw new DomainError(
      'validation',
      'amount_below_minimum',
      `amount must be at least ${usd(limits.min)}`,
      {
        field: 'amount',
        min: formatMoney(limits.min),
      },
    );
  }
  if (amount > limits.max) {
    throw new DomainError('validation', 'amount_above_maximum', `amount must be at most ${usd(limits.max)}`, {
      field: 'amount',
      max: formatMoney(limits.max),
    });
  }
  if (initiatedToday + amount > limits.daily) {
    throw new DomainError(
      'validation',
      'daily_limit_exceeded',
      `payments of one organization are limited to ${usd(limits.daily)} per day`,
      {
        field: 'amount',
        daily: formatMoney(limits.daily),
        initiatedToday: formatMoney(initiatedToday),
      },
    );
  }
  return amount;
}

/** "20.00" for the messages customers read. */
export function usd(micros: bigint): string {
  return `$${providerAmountText(micros)}`;
}

/** A provider's amount ("20.00" from PayPal, "20.00" converted from Stripe cents): USD only, positive. */
function providerAmount(amount: unknown, currency: unknown): bigint {
  if (currency !== 'USD') {
    throw new DomainError('validation', 'unsupported_currency', 'Only USD payments are accepted', {
      currency: typeof currency === 'string' ? currency : typeof currency,
    });
  }
  return parseMoney(amount, { field: 'amount' });
}

function requireMicros(amount: unknown, field: string, allowZero = false): bigint {
  if (typeof amount !== 'bigint' || amount < 0n || (amount === 0n && !allowZero)) {
    throw new DomainError(
      'validation',
      `invalid_${field === 'amount' ? 'amount' : 'wallet_debit'}`,
      `${field} must be a positive bigint`,
      {
        field,
      },
    );
  }
  return amount;
}

// ---- state helpers ----

function requireExisting(state: PaymentState): Exclude<PaymentState, { status: 'none' }> {
  if (state.status === 'none') throw new DomainError('not_found', 'payment_not_found', 'Payment not found');
  return state;
}

function requireSettled(state: PaymentState, action: string): SettledPaymentState {
  const payment = requireExisting(state);
  switch (payment.status) {
    case 'captured':
    case 'refunded':
    case 'disputed':
      return payment;
    case 'initiated':
    case 'approved':
    case 'failed':
    case 'expired':
      throw new DomainError('conflict', 'payment_not_captured', `Only a captured payment can be ${action}`, {
        status: payment.status,
      });
    default:
      return assertNever(payment);
  }
}

/** What can still be refunded or disputed: captured minus refunds and disputes so far. */
export function refundableAmount(state: PaymentState): bigint {
  switch (state.status) {
    case 'captured':
    case 'refunded':
    case 'disputed':
      return state.captured - state.refunded - state.disputed;
    case 'none':
    case 'initiated':
    case 'approved':
    case 'failed':
    case 'expired':
      return 0n;
    default:
      return assertNever(state);
  }
}

/** Checks a refund before the provider is asked for it (the same rule the decider applies when recording it). */
export function checkRefund(state: PaymentState, amount: bigint): SettledPaymentState {
  const payment = requireSettled(state, 'refunded');
  requireMicros(amount, 'amount');
  const refundable = refundableAmount(payment);
  if (amount > refundable) {
    throw new DomainError(
      'validation',
      'refund_exceeds_captured',
      `At most ${usd(refundable)} can be refunded`,
      {
        field: 'amount',
        refundable: formatMoney(refundable),
      },
    );
  }
  return payment;
}

function base(state: PaymentBase): PaymentBase {
  return {
    paymentId: state.paymentId,
    organizationId: state.organizationId,
    provider: state.provider,
    amount: state.amount,
    providerOrderId: state.providerOrderId,
    redirectUrl: state.redirectUrl,
  };
}

// ---- decider ----

export function initialPaymentState(): PaymentState {
  return { status: 'none' };
}

export function decidePayment(command: PaymentCommand, state: PaymentState): PaymentEvent[] {
  switch (command.type) {
    case 'InitiatePayment': {
      const paymentId = requireId(command.data.paymentId, 'paymentId');
      if (state.status !== 'none') {
        throw new DomainError('conflict', 'payment_exists', 'This payment was already initiated', {
          paymentId,
        });
      }
      const organizationId = requireId(command.data.organizationId, 'organizationId');
      const provider = command.data.provider;
      if (!PAYMENT_PROVIDERS.includes(provider)) {
        throw new DomainError(
          'validation',
          'invalid_provider',
          `provider must be one of ${PAYMENT_PROVIDERS.join(', ')}`,
          {
            field: 'provider',
          },
        );
      }
      const amount = parsePaymentAmount(
        command.data.amount,
        command.data.limits,
        command.data.initiatedToday,
      );
      const providerOrderId = requireId(command.data.providerOrderId, 'providerOrderId');
      const redirectUrl = requireText(command.data.redirectUrl, 'redirectUrl', 'invalid_redirect_url', 2000);
      return [
        {
          type: 'PaymentInitiated',
          data: {
            paymentId,
            organizationId,
            provider,
            amount: formatMoney(amount),
            currency: 'USD',
            providerOrderId,
            redirectUrl,
            initiatedBy: command.metadata.actor.userId,
          },
        },
      ];
    }
    case 'ApprovePayment': {
      const payment = requireExisting(state);
      if (payment.status !== 'initiated') return [];
      return [
        {
          type: 'PaymentApproved',
          data: { paymentId: payment.paymentId, providerOrderId: payment.providerOrderId },
        },
      ];
    }
    case 'RecordPaymentCapture': {
      const payment = requireExisting(state);
      const captureId = requireId(command.data.captureId, 'captureId');
      const amount = providerAmount(command.data.amount, command.data.currency);
      const via = command.data.via;
      if (!CAPTURE_VIAS.includes(via)) {
        throw new DomainError('validation', 'invalid_via', `via must be one of ${CAPTURE_VIAS.join(', ')}`);
      }
      switch (payment.status) {
        case 'captured':
        case 'refunded':
        case 'disputed':
          if (payment.captureId === captureId) return [];
          throw new DomainError(
            'conflict',
            'capture_mismatch',
            'This payment was captured under another capture id',
            {
              captureId: payment.captureId,
            },
          );
        case 'initiated':
        case 'approved':
        case 'failed':
        case 'expired':
          return [
            {
              type: 'PaymentCaptured',
              data: {
                paymentId: payment.paymentId,
                organizationId: payment.organizationId,
                provider: payment.provider,
                captureId,
                amount: formatMoney(amount),
                via,
              },
            },
          ];
        default:
          return assertNever(payment);
      }
    }
    case 'FailPayment': {
      const payment = requireExisting(state);
      const reason = requireText(command.data.reason, 'reason', 'invalid_reason', MAX_PAYMENT_REASON_LENGTH);
      switch (payment.status) {
        case 'initiated':
        case 'approved':
          return [{ type: 'PaymentFailed', data: { paymentId: payment.paymentId, reason } }];
        case 'failed':
        case 'expired':
        case 'captured':
        case 'refunded':
        case 'disputed':
          return [];
        default:
          return assertNever(payment);
      }
    }
    case 'ExpirePayment': {
      const payment = requireExisting(state);
      switch (payment.status) {
        case 'initiated':
        case 'approved':
          return [{ type: 'PaymentExpired', data: { paymentId: payment.paymentId } }];
        case 'failed':
        case 'expired':
        case 'captured':
        case 'refunded':
        case 'disputed':
          return [];
        default:
          return assertNever(payment);
      }
    }
    case 'RecordPaymentRefund': {
      const refundId = requireId(command.data.refundId, 'refundId');
      const existing = requireSettled(state, 'refunded');
      if (existing.settledIds.includes(refundId)) return [];
      const payment = checkRefund(state, command.data.amount);
      const amount = command.data.amount;
      const reason = requireText(command.data.reason, 'reason', 'invalid_reason', MAX_PAYMENT_REASON_LENGTH);
      const walletDebited = walletDebit(command.data.walletDebited, amount);
      const refundedTotal = payment.refunded + amount;
      return [
        {
          type: 'PaymentRefunded',
          data: {
            paymentId: payment.paymentId,
            organizationId: payment.organizationId,
            refundId,
            amount: formatMoney(amount),
            refundedTotal: formatMoney(refundedTotal),
            full: refundedTotal + payment.disputed === payment.captured,
            reason,
            walletDebited: formatMoney(walletDebited),
            uncovered: formatMoney(amount - walletDebited),
          },
        },
      ];
    }
    case 'RecordPaymentDispute': {
      const disputeId = requireId(command.data.disputeId, 'disputeId');
      const payment = requireSettled(state, 'disputed');
      if (payment.settledIds.includes(disputeId)) return [];
      const amount = requireMicros(command.data.amount, 'amount');
      // A chargeback is the provider's decision: recorded whatever is left, but never more than was captured.
      const disputed = amount > refundableAmount(payment) ? refundableAmount(payment) : amount;
      const reason = requireText(command.data.reason, 'reason', 'invalid_reason', MAX_PAYMENT_REASON_LENGTH);
      const walletDebited = walletDebit(command.data.walletDebited, disputed);
      return [
        {
          type: 'PaymentDisputed',
          data: {
            paymentId: payment.paymentId,
            organizationId: payment.organizationId,
            disputeId,
            amount: formatMoney(disputed),
            reason,
            walletDebited: formatMoney(walletDebited),
            uncovered: formatMoney(disputed - walletDebited),
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

function walletDebit(debited: unknown, amount: bigint): bigint {
  const value = requireMicros(debited, 'walletDebited', true);
  if (value > amount) {
    throw new DomainError('validation', 'invalid_wallet_debit', 'walletDebited cannot exceed the amount', {
      field: 'walletDebited',
    });
  }
  return value;
}

export function evolvePayment(state: PaymentState, event: PaymentEvent): PaymentState {
  switch (event.type) {
    case 'PaymentInitiated':
      return {
        status: 'initiated',
        paymentId: event.data.paymentId,
        organizationId: event.data.organizationId,
        provider: event.data.provider,
        amount: money(event.data.amount),
        providerOrderId: event.data.providerOrderId,
        redirectUrl: event.data.redirectUrl,
      };
    case 'PaymentApproved':
      return state.status === 'initiated' ? { ...state, status: 'approved' } : state;
    case 'PaymentCaptured':
      if (state.status === 'none') return state;
      return {
        ...base(state),
        status: 'captured',
        captureId: event.data.captureId,
        captured: money(event.data.amount),
        refunded: 0n,
        disputed: 0n,
        settledIds: [],
      };
    case 'PaymentFailed':
      return state.status === 'none'
        ? state
        : { ...base(state), status: 'failed', reason: event.data.reason };
    case 'PaymentExpired':
      return state.status === 'none' ? state : { ...base(state), status: 'expired' };
    case 'PaymentRefunded':
      if (state.status !== 'captured' && state.status !== 'refunded' && state.status !== 'disputed')
        return state;
      return {
        ...state,
        // A dispute stays the headline once there is one.
        status: state.status === 'disputed' ? 'disputed' : 'refunded',
        refunded: state.refunded + money(event.data.amount),
        settledIds: [...state.settledIds, event.data.refundId],
      };
    case 'PaymentDisputed':
      if (state.status !== 'captured' && state.status !== 'refunded' && state.status !== 'disputed')
        return state;
      return {
        ...state,
        status: 'disputed',
        disputed: state.disputed + money(event.data.amount),
        settledIds: [...state.settledIds, event.data.disputeId],
      };
    default:
      return assertNever(event);
  }
}

export const paymentDecider: Decider<PaymentState, PaymentCommand, PaymentEvent> = {
  decide: decidePayment,
  evolve: evolvePayment,
  initialState: initialPaymentState,
};

// ---- ids shared by the API and the workers ----

/** Key of the wallet credit of one capture: any number of returns, webhooks and polls derive the same event id. */
export const paymentCreditKey = (provider: PaymentProviderName, captureId: string) =>
  `payment-credit:${provider}:${captureId}`;
/** Key of the PaymentCaptured event of one capture (same rule, on the payment stream). */
export const paymentCaptureKey = (provider: PaymentProviderName, captureId: string) =>
  `payment-capture:${provider}:${captureId}`;
/** Key of the wallet debit of a refund or a dispute (by the provider's refund/dispute id). */
export const paymentDebitKey = (provider: PaymentProviderName, settlementId: string) =>
  `payment-debit:${provider}:${settlementId}`;
/** The wallet charge id of a refund/dispute debit (WalletCharged.chargeId). */
export const paymentDebitChargeId = (paymentId: string, settlementId: string) =>
  `payment-${paymentId}:${settlementId}`;

const CREDIT_LEDGER_PREFIX = 'payment-capture:';
/**
 * The reconciliation key of a capture's wallet credit (the credit itself carries the capture id as its
 * `reference`); a staff adjustment correcting that credit names it as `subject.chargeId`.
 */
export const paymentCreditLedgerKey = (captureId: string) => `${CREDIT_LEDGER_PREFIX}${captureId}`;

/**
 * A payment's ledger key, from a charge id or an adjustment's subject: a capture's credit key, or a refund's or
 * dispute's debit charge id (`:debt` suffixed for the part recorded as debt; `key` is without it). Null for
 * anything else (a server's charge ids start with `vps-`).
 */
export function parsePaymentLedgerKey(
  chargeId: string,
):
  | { kind: 'credit'; key: string; captureId: string; paymentId: null; debt: false }
  | { kind: 'debit'; key: string; paymentId: string; settlementId: string; debt: boolean }
  | null {
  if (chargeId.startsWith(CREDIT_LEDGER_PREFIX)) {
    const captureId = chargeId.slice(CREDIT_LEDGER_PREFIX.length);
    return captureId ? { kind: 'credit', key: chargeId, captureId, paymentId: null, debt: false } : null;
  }
  if (!chargeId.startsWith('payment-')) return null;
  const colon = chargeId.indexOf(':');
  if (colon <= 'payment-'.length) return null;
  const debt = chargeId.endsWith(':debt');
  const key = debt ? chargeId.slice(0, -':debt'.length) : chargeId;
  const settlementId = key.slice(colon + 1);
  if (!settlementId) return null;
  return { kind: 'debit', key, paymentId: key.slice('payment-'.length, colon), settlementId, debt };
}
