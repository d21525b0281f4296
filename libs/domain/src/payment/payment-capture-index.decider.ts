import type { Command, Decider, DomainEvent } from '../shared/decider';
import { requireId } from '../shared/validation';
import type { PaymentProviderName } from './payment.events';

/**
 * Stream `paymentcapture-<provider>-<capture id>`: which payment a provider's capture belongs to, written by the
 * settlement before the capture is recorded. A dispute names the capture only; this answers it at once, where the
 * payments read model may not have caught up yet (a dispute looked up there was recorded as unknown and lost).
 */
export type PaymentCaptureIndexed = DomainEvent<
  'PaymentCaptureIndexed',
  { provider: PaymentProviderName; captureId: string; paymentId: string }
>;
export type IndexPaymentCapture = Command<'IndexPaymentCapture', PaymentCaptureIndexed['data']>;
export type PaymentCaptureIndexState = { status: 'none' } | { status: 'indexed'; paymentId: string };

/** The first payment named keeps the capture (a capture id is the provider's, unique per payment). */
export const paymentCaptureIndexDecider: Decider<
  PaymentCaptureIndexState,
  IndexPaymentCapture,
  PaymentCaptureIndexed
> = {
  initialState: () => ({ status: 'none' }),
  evolve: (state, event) =>
    state.status === 'none' ? { status: 'indexed', paymentId: event.data.paymentId } : state,
  decide(command, state) {
    if (state.status === 'indexed') return [];
    const captureId = requireId(command.data.captureId, 'captureId');
    const paymentId = requireId(command.data.paymentId, 'paymentId');
    return [
      { type: 'PaymentCaptureIndexed', data: { provider: command.data.provider, captureId, paymentId } },
    ];
  },
};
