import { DomainError, type Command, type Decider, type DomainEvent } from '../shared/decider';
import { requireId } from '../shared/validation';
import type { PaymentProviderName } from './payment.events';

/** What a verified webhook did: applied to a payment, named no payment Stratus knows, or was not one it acts on. */
export type PaymentWebhookOutcome = 'applied' | 'unknown_payment' | 'ignored';

/**
 * Stream `paymentwebhook-<provider>-<provider event id>`: one verified delivery, recorded after it was applied,
 * so a redelivery of the same event id is answered without acting again (and a delivery that failed midway is
 * applied again: every effect is idempotent by itself).
 */
export type PaymentWebhookReceived = DomainEvent<
  'PaymentWebhookReceived',
  {
    provider: PaymentProviderName;
    providerEventId: string;
    eventType: string;
    paymentId: string | null;
    outcome: PaymentWebhookOutcome;
  }
>;
export type RecordPaymentWebhook = Command<'RecordPaymentWebhook', PaymentWebhookReceived['data']>;
export type PaymentWebhookState = { status: 'none' } | { status: 'received' };

export const paymentWebhookDecider: Decider<
  PaymentWebhookState,
  RecordPaymentWebhook,
  PaymentWebhookReceived
> = {
  initialState: () => ({ status: 'none' }),
  evolve: () => ({ status: 'received' }),
  decide(command, state) {
    if (state.status === 'received') return [];
    const providerEventId = requireId(command.data.providerEventId, 'providerEventId');
    if (typeof command.data.eventType !== 'string' || command.data.eventType.length > 200) {
      throw new DomainError('validation', 'invalid_event_type', 'eventType must be a short string');
    }
    return [{ type: 'PaymentWebhookReceived', data: { ...command.data, providerEventId } }];
  },
};
