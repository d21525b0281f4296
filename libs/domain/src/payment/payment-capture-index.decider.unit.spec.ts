import { paymentCaptureIndexDecider, type PaymentCaptureIndexed } from './payment-capture-index.decider';

const metadata = { now: '2026-01-01T00:00:00.000Z', actor: { userId: 'system', role: 'system' as const } };
const index = (paymentId: string) =>
  ({
    type: 'IndexPaymentCapture',
    data: { provider: 'paypal', captureId: 'CAP-1', paymentId },
    metadata,
  }) as const;
const indexed: PaymentCaptureIndexed = {
  type: 'PaymentCaptureIndexed',
  data: { provider: 'paypal', captureId: 'CAP-1', paymentId: 'p1' },
};
const stateAfter = (events: PaymentCaptureIndexed[]) =>
  events.reduce(paymentCaptureIndexDecider.evolve, paymentCaptureIndexDecider.initialState());

describe('payment capture index', () => {
  it('given nothing, when a capture is indexed, then it names its payment', () => {
    expect(paymentCaptureIndexDecider.decide(index('p1'), stateAfter([]))).toEqual([indexed]);
  });

  it('given an indexed capture, when it is indexed again (any payment), then nothing: the first keeps it', () => {
    expect(paymentCaptureIndexDecider.decide(index('p1'), stateAfter([indexed]))).toEqual([]);
    expect(paymentCaptureIndexDecider.decide(index('p2'), stateAfter([indexed]))).toEqual([]);
    expect(stateAfter([indexed, { ...indexed, data: { ...indexed.data, paymentId: 'p2' } }])).toEqual({
      status: 'indexed',
      paymentId: 'p1',
    });
  });

  it('given nothing, when the ids are empty, then a validation error', () => {
    expect(() => paymentCaptureIndexDecider.decide(index(''), stateAfter([]))).toThrow(/paymentId/);
  });
});
