import type { DomainEvent } from '../shared/decider';
import type { MoneyString } from '../money/money';

/** Who takes the money: PayPal (Orders v2) or Stripe (Checkout Sessions). */
export type PaymentProviderName = 'paypal' | 'stripe';
export const PAYMENT_PROVIDERS: readonly PaymentProviderName[] = ['paypal', 'stripe'];

/** How the capture became known: the customer's return, a provider webhook, or the workflow's poll. */
export type PaymentCaptureVia = 'return' | 'webhook' | 'poll';

/**
 * Stream `payment-<paymentId>`: initiated → approved → captured | failed | expired → refunded → disputed.
 * Amounts are money strings (6 decimals); the captured amount is the provider's, never the browser's.
 */
export type PaymentInitiated = DomainEvent<
  'PaymentInitiated',
  {
    paymentId: string;
    organizationId: string;
    provider: PaymentProviderName;
    amount: MoneyString;
    currency: 'USD';
    /** PayPal order id or Stripe Checkout Session id. */
    providerOrderId: string;
    /** Where the customer approves the payment (PayPal approval link, Stripe hosted page). */
    redirectUrl: string;
    initiatedBy: string;
  }
>;
export type PaymentApproved = DomainEvent<'PaymentApproved', { paymentId: string; providerOrderId: string }>;
/** The wallet is credited with `amount` under reference `captureId`, once (event id derived from the capture). */
export type PaymentCaptured = DomainEvent<
  'PaymentCaptured',
  {
    paymentId: string;
    organizationId: string;
    provider: PaymentProviderName;
    captureId: string;
    amount: MoneyString;
    via: PaymentCaptureVia;
  }
>;
export type PaymentFailed = DomainEvent<'PaymentFailed', { paymentId: string; reason: string }>;
/** Abandoned: never approved or captured before its deadline. */
export type PaymentExpired = DomainEvent<'PaymentExpired', { paymentId: string }>;
/**
 * Money given back through the provider, then debited from the wallet. `walletDebited` is what the balance
 * covered; `uncovered` is the rest, which the wallet could not pay (reported as outstanding, never a negative balance).
 */
export type PaymentRefunded = DomainEvent<
  'PaymentRefunded',
  {
    paymentId: string;
    organizationId: string;
    refundId: string;
    amount: MoneyString;
    refundedTotal: MoneyString;
    full: boolean;
    reason: string;
    walletDebited: MoneyString;
    uncovered: MoneyString;
  }
>;
/** A dispute / chargeback reported by the provider; debits the wallet like a refund. */
export type PaymentDisputed = DomainEvent<
  'PaymentDisputed',
  {
    paymentId: string;
    organizationId: string;
    disputeId: string;
    amount: MoneyString;
    reason: string;
    walletDebited: MoneyString;
    uncovered: MoneyString;
  }
>;

export type PaymentEvent =
  | PaymentInitiated
  | PaymentApproved
  | PaymentCaptured
  | PaymentFailed
  | PaymentExpired
  | PaymentRefunded
  | PaymentDisputed;
