import {
  paymentCreditLedgerKey,
  paymentDebitChargeId,
  parsePaymentLedgerKey,
} from '../payment/payment.decider';
import { paymentResolutionOf, PAYMENT_DISCREPANCY_KINDS } from './payment-reconciliation';
import { reconcileBilling, reconciliationLineId, type LedgerEvent } from './reconciliation';

const ORG = 'org-1';
const PAY = '7b0c4c1e-0000-4000-8000-000000000001';
const CAPTURE = 'CAP123';
const REFUND = 'REF9';
const DISPUTE = 'PP-D-1';
const T = (time: string) => `2026-01-01T${time}.000Z`;
const WINDOW = { from: T('00:00:00'), to: T('06:00:00'), periodSeconds: 3600 };

let seq = 0;
const ev = (streamId: string, type: string, data: object, occurredAt: string): LedgerEvent => ({
  id: `e${(seq += 1)}`,
  streamId,
  type,
  data,
  occurredAt,
});
const payment = (type: string, data: object, at: string) =>
  ev(`payment-${PAY}`, type, { paymentId: PAY, organizationId: ORG, ...data }, at);
const wallet = (type: string, data: object, at: string) =>
  ev(`wallet-${ORG}`, type, { walletId: 'w1', organizationId: ORG, balanceAfter: '0', ...data }, at);

const captured = (amount = '20.000000') =>
  payment(
    'PaymentCaptured',
    { provider: 'paypal', captureId: CAPTURE, amount, via: 'return' },
    T('01:00:00'),
  );
const credited = (amount = '20.000000', reference = CAPTURE) =>
  wallet('WalletCredited', { amount, source: 'payment', reason: 'PayPal payment', reference }, T('01:00:01'));
const refunded = (amount: string, walletDebited: string) =>
  payment(
    'PaymentRefunded',
    { refundId: REFUND, amount, walletDebited, uncovered: '0', full: false, reason: 'r' },
    T('02:00:00'),
  );
const disputed = (amount: string) =>
  payment(
    'PaymentDisputed',
    { disputeId: DISPUTE, amount, walletDebited: amount, reason: 'x' },
    T('03:00:00'),
  );
const debit = (settlementId: string, amount: string, debt = false) =>
  wallet(
    'WalletCharged',
    {
      chargeId: `${paymentDebitChargeId(PAY, settlementId)}${debt ? ':debt' : ''}`,
      amount,
      description: 'refund',
      subject: { paymentId: PAY, settlementId, kind: 'payment_refund' },
    },
    T('02:00:00'),
  );
const debtRecorded = (settlementId: string, amount: string) =>
  wallet(
    'WalletDebtRecorded',
    { chargeId: `${paymentDebitChargeId(PAY, settlementId)}:debt`, amount, balance: '0', description: 'd' },
    T('02:00:00'),
  );
const adjusted = (chargeId: string, amount: string) =>
  wallet('WalletAdjusted', { amount, reason: 'fix', subject: { chargeId } }, T('23:00:00'));

const creditKey = paymentCreditLedgerKey(CAPTURE);
const refundKey = paymentDebitChargeId(PAY, REFUND);
const kinds = (events: LedgerEvent[]) =>
  reconcileBilling(WINDOW, events).lines.map((l) => [l.kind, l.chargeId]);

describe('payment reconciliation', () => {
  describe('a capture', () => {
    it('credited once with its amount then no line, and the payment is counted', () => {
      const report = reconcileBilling(WINDOW, [captured(), credited()]);
      expect(report.lines).toEqual([]);
      expect(report.summary.payments).toBe(1);
    });

    it('never credited then missing_credit: expected −amount, charged 0, resolved by the payment credit', () => {
      const [line] = reconcileBilling(WINDOW, [captured()]).lines;
      expect(line).toMatchObject({
        kind: 'missing_credit',
        organizationId: ORG,
        vpsId: null,
        paymentId: PAY,
        chargeId: creditKey,
        periodStart: T('01:00:00'),
        expected: '-20.000000',
        charged: '0.000000',
        difference: '-20.000000',
        lineId: reconciliationLineId(creditKey, 'missing_credit'),
      });
      expect(paymentResolutionOf(line.kind)).toBe('payment_credit');
    });

    it('credited twice then duplicate_credit with both credits; an adjustment of −amount makes it clean', () => {
      const events = [captured(), credited(), credited()];
      const [line] = reconcileBilling(WINDOW, events).lines;
      expect(line).toMatchObject({ kind: 'duplicate_credit', difference: '20.000000' });
      expect(line.eventIds).toHaveLength(3);
      // A resolution adjusts by −difference, as for a period's charge.
      expect(kinds([...events, adjusted(creditKey, '-20.000000')])).toEqual([]);
    });

    it('credited a different amount then credit_amount_mismatch', () => {
      expect(kinds([captured('20.000000'), credited('2.000000')])).toEqual([
        ['credit_amount_mismatch', creditKey],
      ]);
    });

    it('a payment credit no captured payment explains then orphan_credit without a payment id', () => {
      const [line] = reconcileBilling(WINDOW, [credited('5.000000', 'NOPE')]).lines;
      expect(line).toMatchObject({
        kind: 'orphan_credit',
        paymentId: null,
        chargeId: paymentCreditLedgerKey('NOPE'),
        expected: '0.000000',
        charged: '-5.000000',
      });
    });

    it('staff credits are not payments', () => {
      const staff = wallet(
        'WalletCredited',
        { amount: '5.000000', source: 'staff_credit', reason: 'x' },
        T('01:00:00'),
      );
      expect(kinds([staff])).toEqual([]);
    });

    it('outside the window then not reported', () => {
      const late = { ...captured(), occurredAt: T('07:00:00') };
      expect(kinds([late])).toEqual([]);
    });
  });

  describe('a refund', () => {
    it('debited in full, or partly with the rest recorded as debt (collected later or not), then no line', () => {
      const base = [captured(), credited()];
      expect(kinds([...base, refunded('5.000000', '5.000000'), debit(REFUND, '5.000000')])).toEqual([]);
      const split = [
        ...base,
        refunded('5.000000', '2.000000'),
        debit(REFUND, '2.000000'),
        debtRecorded(REFUND, '3.000000'),
      ];
      expect(kinds(split)).toEqual([]);
      expect(kinds([...split, debit(REFUND, '3.000000', true)])).toEqual([]);
    });

    it('never debited then missing_refund_debit, resolved by the payment debit', () => {
      const [line] = reconcileBilling(WINDOW, [
        captured(),
        credited(),
        refunded('5.000000', '5.000000'),
      ]).lines;
      expect(line).toMatchObject({
        kind: 'missing_refund_debit',
        chargeId: refundKey,
        expected: '5.000000',
        charged: '0.000000',
      });
      expect(paymentResolutionOf(line.kind)).toBe('payment_debit');
    });

    it('debited twice then duplicate_debit; its debt collected twice then debit_amount_mismatch', () => {
      const base = [captured(), credited(), refunded('5.000000', '5.000000')];
      expect(kinds([...base, debit(REFUND, '5.000000'), debit(REFUND, '5.000000')])).toEqual([
        ['duplicate_debit', refundKey],
      ]);
      const debt = [captured(), credited(), refunded('5.000000', '0'), debtRecorded(REFUND, '5.000000')];
      expect(kinds(debt)).toEqual([]);
      expect(kinds([...debt, debit(REFUND, '5.000000', true), debit(REFUND, '5.000000', true)])).toEqual([
        ['debit_amount_mismatch', refundKey],
      ]);
    });

    it('a payment debit no refund or dispute explains then orphan_debit', () => {
      expect(kinds([captured(), credited(), debit('GHOST', '1.000000')])).toEqual([
        ['orphan_debit', paymentDebitChargeId(PAY, 'GHOST')],
      ]);
    });
  });

  describe('a dispute', () => {
    it('debited then clean; not debited then missing_dispute_debit', () => {
      const base = [captured(), credited(), disputed('20.000000')];
      expect(kinds([...base, debit(DISPUTE, '20.000000')])).toEqual([]);
      expect(kinds(base)).toEqual([['missing_dispute_debit', paymentDebitChargeId(PAY, DISPUTE)]]);
    });
  });

  it('every payment kind is resolvable one way or the other', () => {
    for (const kind of PAYMENT_DISCREPANCY_KINDS) expect(paymentResolutionOf(kind)).not.toBeNull();
    expect(paymentResolutionOf('missing_charge')).toBeNull();
  });

  it('ledger keys parse back to their parts; server charge ids are not payment keys', () => {
    expect(parsePaymentLedgerKey(creditKey)).toMatchObject({ kind: 'credit', captureId: CAPTURE });
    expect(parsePaymentLedgerKey(`${refundKey}:debt`)).toMatchObject({
      kind: 'debit',
      key: refundKey,
      paymentId: PAY,
      settlementId: REFUND,
      debt: true,
    });
    expect(parsePaymentLedgerKey('vps-v1:2026-01-01T00:00:00.000Z')).toBeNull();
    expect(parsePaymentLedgerKey('payment-capture:')).toBeNull();
  });
});
