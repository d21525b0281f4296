import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { paymentsProjection } from './payments.projection';

const initiated = recorded(
  'PaymentInitiated',
  {
    paymentId: 'p1',
    organizationId: 'o1',
    provider: 'paypal',
    amount: '20.000000',
    currency: 'USD',
    providerOrderId: 'ORDER-1',
    redirectUrl: 'https://approve.example/ORDER-1',
    initiatedBy: 'u1',
  },
  { occurredAt: '2026-01-01T00:00:00.000Z' },
);
const captured = recorded(
  'PaymentCaptured',
  {
    paymentId: 'p1',
    organizationId: 'o1',
    provider: 'paypal',
    captureId: 'CAP-1',
    amount: '19.990000',
    via: 'return',
  },
  { occurredAt: '2026-01-01T00:05:00.000Z' },
);
const refund = (refundId: string, amount: string, uncovered: string) =>
  recorded('PaymentRefunded', {
    paymentId: 'p1',
    organizationId: 'o1',
    refundId,
    amount,
    refundedTotal: amount,
    full: false,
    reason: 'r',
    walletDebited: amount,
    uncovered,
  });

describe('payments projection', () => {
  it('follows a payment from initiation to capture, refunds and a dispute', () => {
    const rows = foldProjection(paymentsProjection, [
      initiated,
      recorded('PaymentApproved', { paymentId: 'p1', providerOrderId: 'ORDER-1' }),
      captured,
      refund('R1', '5.000000', '0.000000'),
      refund('R2', '4.000000', '1.500000'),
      recorded('PaymentDisputed', {
        paymentId: 'p1',
        organizationId: 'o1',
        disputeId: 'D1',
        amount: '10.990000',
        reason: 'chargeback',
        walletDebited: '0.000000',
        uncovered: '10.990000',
      }),
    ]);
    expect([...rows.values()]).toEqual([
      expect.objectContaining({
        paymentId: 'p1',
        organizationId: 'o1',
        status: 'disputed',
        amount: 20_000_000n,
        capturedAmount: 19_990_000n,
        refundedAmount: 9_000_000n,
        disputedAmount: 10_990_000n,
        uncoveredAmount: 12_490_000n,
        captureId: 'CAP-1',
        createdAt: new Date('2026-01-01T00:00:00.000Z'),
      }),
    ]);
  });

  it('records failure and expiry, and ignores events of a payment it never saw initiated', () => {
    const failed = foldProjection(paymentsProjection, [
      initiated,
      recorded('PaymentFailed', { paymentId: 'p1', reason: 'declined' }),
    ]);
    expect([...failed.values()][0]).toMatchObject({ status: 'failed', capturedAmount: null });
    const expired = foldProjection(paymentsProjection, [
      initiated,
      recorded('PaymentExpired', { paymentId: 'p1' }),
    ]);
    expect([...expired.values()][0]).toMatchObject({ status: 'expired' });
    expect(foldProjection(paymentsProjection, [captured]).size).toBe(0);
  });
});
