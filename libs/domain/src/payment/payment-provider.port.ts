import type { PaymentProviderName } from './payment.events';

/** A provider's order (PayPal order, Stripe Checkout Session) and where the customer approves it. */
export interface ProviderOrder {
  providerOrderId: string;
  redirectUrl: string;
}

/** What the provider says about an order's money. Amounts are the provider's decimal strings ("20.00"). */
export type ProviderCapture =
  | { status: 'captured'; captureId: string; amount: string; currency: string }
  /** Not approved yet, or approved and still being paid: ask again later. */
  | { status: 'pending'; approved: boolean }
  | { status: 'failed'; reason: string };

export interface ProviderRefund {
  refundId: string;
}

/**
 * Port of a payment provider. Every call may be repeated: each carries the provider's idempotency header
 * derived from `paymentId` (or the refund's key), so a retry after a lost answer gets the first answer.
 */
export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createOrder(input: {
    paymentId: string;
    /** micros, a whole number of cents */
    amount: bigint;
    returnUrl: string;
    cancelUrl: string;
  }): Promise<ProviderOrder>;
  /** Captures an approved order (PayPal) or reads a completed session (Stripe); repeats answer the same capture. */
  capture(input: { paymentId: string; providerOrderId: string }): Promise<ProviderCapture>;
  refund(input: {
    refundKey: string;
    captureId: string;
    amount: bigint;
    reason: string;
  }): Promise<ProviderRefund>;
}

/** A provider call that failed; `retryable` tells callers (workflow activities, HTTP 502 vs 4xx) what to do. */
export class PaymentProviderError extends Error {
  override readonly name = 'PaymentProviderError';
  constructor(
    readonly provider: PaymentProviderName,
    readonly retryable: boolean,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** micros → the providers' "20.00" (payments are whole cents: parsePaymentAmount allows 2 decimals). */
export function providerAmountText(micros: bigint): string {
  const cents = micros / 10_000n;
  return `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}
