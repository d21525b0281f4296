import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PaymentWebhookOutcome } from '@stratus/domain';
import type Stripe from 'stripe';
import { ApiError } from '../../../../shared/errors/api-error';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import { PaymentProviders } from '@stratus/infra';
import { PaymentSettlementService } from '../../shared/payment-settlement.service';
import { captureOfSession } from '@stratus/infra';
import type { WebhookReceivedResponseDto } from '../../shared/webhook-response.dto';
import { WebhookInbox } from '../../shared/webhook-inbox.service';
import { ReceiveStripeWebhookCommand } from './receive-stripe-webhook.command';

const SESSION_EVENTS = new Set([
  'checkout.session.completed',
  'checkout.session.async_payment_succeeded',
  'checkout.session.async_payment_failed',
  'checkout.session.expired',
]);

@CommandHandler(ReceiveStripeWebhookCommand)
export class ReceiveStripeWebhookHandler implements ICommandHandler<
  ReceiveStripeWebhookCommand,
  WebhookReceivedResponseDto
> {
  constructor(
    private readonly providers: PaymentProviders,
    private readonly settlement: PaymentSettlementService,
    private readonly inbox: WebhookInbox,
  ) {}

  async execute(command: ReceiveStripeWebhookCommand): Promise<WebhookReceivedResponseDto> {
    if (!command.rawBody || !command.signature) {
      throw ApiError.badRequest('invalid_signature', 'A signed Stripe event is required (Stripe-Signature)');
    }
    let event: Stripe.Event;
    try {
      // HMAC over the raw bytes with a 300 s tolerance: forged, stale and altered bodies all end here.
      event = this.providers.stripe.constructEvent(command.rawBody, command.signature);
    } catch {
      throw ApiError.badRequest(
        'invalid_signature',
        'The Stripe-Signature does not match this body or is stale',
      );
    }
    if (typeof event.id !== 'string' || typeof event.type !== 'string') {
      throw ApiError.badRequest('malformed_event', 'The Stripe event has no id or type');
    }
    const outcome = await this.inbox.receive(
      { provider: 'stripe', providerEventId: event.id, eventType: event.type },
      command.context,
      () => this.apply(event, command.context),
    );
    return { received: true, outcome };
  }

  private async apply(
    event: Stripe.Event,
    context: CommandContext,
  ): Promise<{ outcome: PaymentWebhookOutcome; paymentId: string | null }> {
    if (event.type === 'charge.dispute.created') return this.dispute(event.data.object, context);
    if (!SESSION_EVENTS.has(event.type)) return { outcome: 'ignored', paymentId: null };
    const session = event.data.object as Stripe.Checkout.Session;
    const paymentId = session.client_reference_id ?? session.metadata?.paymentId ?? null;
    if (!paymentId) return { outcome: 'unknown_payment', paymentId: null };
    const payment = await this.settlement.load(paymentId);
    // Only the session this payment created may settle it.
    if (
      payment.status === 'none' ||
      payment.provider !== 'stripe' ||
      payment.providerOrderId !== session.id
    ) {
      return { outcome: 'unknown_payment', paymentId };
    }
    const answer =
      event.type === 'checkout.session.expired'
        ? ({ status: 'failed', reason: 'checkout session expired' } as const)
        : event.type === 'checkout.session.async_payment_failed'
          ? ({ status: 'failed', reason: 'payment failed' } as const)
          : captureOfSession(session);
    await this.settlement.apply(payment, answer, 'webhook', context);
    return { outcome: 'applied', paymentId };
  }

  /** A chargeback on a card payment: found by its PaymentIntent (the capture id Stratus credited under). */
  private async dispute(
    dispute: Stripe.Dispute,
    context: CommandContext,
  ): Promise<{ outcome: PaymentWebhookOutcome; paymentId: string | null }> {
    const intent =
      typeof dispute.payment_intent === 'string' ? dispute.payment_intent : dispute.payment_intent?.id;
    if (
      !intent ||
      typeof dispute.id !== 'string' ||
      !Number.isSafeInteger(dispute.amount) ||
      dispute.amount < 0
    ) {
      throw ApiError.badRequest('malformed_event', 'The dispute has no id, payment intent or amount');
    }
    const paymentId = await this.settlement.paymentIdOfCapture('stripe', intent);
    const payment = paymentId ? await this.settlement.load(paymentId) : null;
    if (!paymentId || !payment || payment.status === 'none') return { outcome: 'unknown_payment', paymentId };
    const cents = BigInt(dispute.amount);
    await this.settlement.dispute(
      payment,
      {
        disputeId: dispute.id,
        amount: `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`,
        reason: dispute.reason || 'dispute',
      },
      context,
    );
    return { outcome: 'applied', paymentId };
  }
}
