import {
  PaymentProviderError,
  type PaymentProvider,
  type ProviderCapture,
  type ProviderOrder,
  type ProviderRefund,
} from '@stratus/domain';
import Stripe from 'stripe';

export interface StripeOptions {
  /** https://api.stripe.com, or stripe-mock in development and tests (STRIPE_API_URL). */
  apiUrl: string;
  secretKey: string;
  /** STRIPE_WEBHOOK_SECRET (whsec_…; the API's only). */
  webhookSecret?: string;
}

/** Stripe-Signature tolerance: a delivery signed longer ago than this is stale. */
export const STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Stripe Checkout Sessions through the official library (pointed at STRIPE_API_URL): the hosted page takes the
 * card; the payment completes by webhook (checkout.session.completed) or by reading the session back.
 */
export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe' as const;
  readonly stripe: Stripe;

  constructor(private readonly options: StripeOptions) {
    const url = new URL(options.apiUrl);
    this.stripe = new Stripe(options.secretKey, {
      host: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
      protocol: url.protocol === 'https:' ? 'https' : 'http',
      maxNetworkRetries: 2,
      timeout: 15_000,
    });
  }

  async createOrder(input: {
    paymentId: string;
    amount: bigint;
    returnUrl: string;
    cancelUrl: string;
  }): Promise<ProviderOrder> {
    const session = await this.guard(() =>
      this.stripe.checkout.sessions.create(
        {
          mode: 'payment',
          client_reference_id: input.paymentId,
          metadata: { paymentId: input.paymentId },
          payment_intent_data: { metadata: { paymentId: input.paymentId } },
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: 'usd',
                unit_amount: Number(input.amount / 10_000n),
                product_data: { name: 'Stratus account credit' },
              },
            },
          ],
          success_url: input.returnUrl,
          cancel_url: input.cancelUrl,
        },
        { idempotencyKey: `stratus-create-${input.paymentId}` },
      ),
    );
    if (!session.url)
      throw new PaymentProviderError('stripe', false, `Checkout Session ${session.id} has no url`);
    return { providerOrderId: session.id, redirectUrl: session.url };
  }

  async capture(input: { paymentId: string; providerOrderId: string }): Promise<ProviderCapture> {
    const session = await this.guard(() => this.stripe.checkout.sessions.retrieve(input.providerOrderId));
    return captureOfSession(session);
  }

  async refund(input: {
    refundKey: string;
    captureId: string;
    amount: bigint;
    reason: string;
  }): Promise<ProviderRefund> {
    const refund = await this.guard(() =>
      this.stripe.refunds.create(
        {
          payment_intent: input.captureId,
          amount: Number(input.amount / 10_000n),
          metadata: { reason: input.reason.slice(0, 500) },
        },
        { idempotencyKey: `stratus-refund-${input.refundKey}` },
      ),
    );
    return { refundId: refund.id };
  }

  /** Verifies Stripe-Signature over the raw body (throws Stripe's signature error on a forged or stale one). */
  constructEvent(rawBody: Buffer, signature: string): Stripe.Event {
    if (!this.options.webhookSecret) throw new Error('no STRIPE_WEBHOOK_SECRET to verify Stripe events with');
    return this.stripe.webhooks.constructEvent(
      rawBody,
      signature,
      this.options.webhookSecret,
      STRIPE_WEBHOOK_TOLERANCE_SECONDS,
    );
  }

  private async guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      throw new PaymentProviderError(
        'stripe',
        status === undefined || status >= 500 || status === 429,
        `Stripe: ${(error as Error).message}`,
        status,
      );
    }
  }
}

/** A paid session is captured under its PaymentIntent id, for the session's amount_total (cents). */
export function captureOfSession(session: Stripe.Checkout.Session): ProviderCapture {
  if (session.payment_status === 'paid' || session.payment_status === 'no_payment_required') {
    const intent = session.payment_intent;
    const captureId = typeof intent === 'string' ? intent : (intent?.id ?? session.id);
    const cents = BigInt(session.amount_total ?? 0);
    return {
      status: 'captured',
      captureId,
      amount: `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`,
      currency: (session.currency ?? '').toUpperCase(),
    };
  }
  if (session.status === 'expired') return { status: 'failed', reason: 'checkout session expired' };
  return { status: 'pending', approved: session.status === 'complete' };
}
