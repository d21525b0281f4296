import { Injectable } from '@nestjs/common';
import {
  paymentWebhookDecider,
  streams,
  type PaymentProviderName,
  type PaymentWebhookOutcome,
} from '@stratus/domain';
import { CommandExecutor, deterministicEventId } from '@stratus/eventstore';
import type { CommandContext } from '../../../shared/request-context/command-context';

export interface WebhookDelivery {
  provider: PaymentProviderName;
  providerEventId: string;
  eventType: string;
}

/** Deduplicates verified webhooks by the provider's event id (see PaymentWebhookReceived). */
@Injectable()
export class WebhookInbox {
  constructor(private readonly executor: CommandExecutor) {}

  /** Applies a delivery once: a redelivery of a recorded event id answers 'duplicate' without applying it. */
  async receive(
    delivery: WebhookDelivery,
    context: CommandContext,
    apply: () => Promise<{ outcome: PaymentWebhookOutcome; paymentId: string | null }>,
  ): Promise<PaymentWebhookOutcome | 'duplicate'> {
    const streamId = streams.paymentWebhook(`${delivery.provider}-${delivery.providerEventId}`);
    const seen = await this.executor.load(streamId, paymentWebhookDecider);
    if (seen.state.status === 'received') return 'duplicate';
    const { outcome, paymentId } = await apply();
    const eventId = deterministicEventId(`payment-webhook:${delivery.provider}:${delivery.providerEventId}`);
    await this.executor.execute({
      streamId,
      decider: paymentWebhookDecider,
      context,
      eventId: () => eventId,
      appliedIds: [eventId],
      command: (_state, metadata) => ({
        type: 'RecordPaymentWebhook' as const,
        data: { ...delivery, paymentId, outcome },
        metadata,
      }),
    });
    return outcome;
  }
}
