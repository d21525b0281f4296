import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  checkRefund,
  parsePaymentAmount,
  paymentDecider,
  refundableAmount,
  type PaymentCommand,
  type PaymentLimits,
} from './payment.decider';
import type {
  PaymentApproved,
  PaymentCaptured,
  PaymentDisputed,
  PaymentEvent,
  PaymentExpired,
  PaymentFailed,
  PaymentInitiated,
  PaymentRefunded,
} from './payment.events';

const spec = DeciderSpecification.for(paymentDecider);
const PAY = 'pay-1';
const ORG = 'org-1';
const meta = metadataFor('user-1');
const usd = (dollars: number) => BigInt(dollars) * 1_000_000n;
const LIMITS: PaymentLimits = { min: usd(5), max: usd(1000), daily: usd(2000) };

const initiate = (amount = '20.00', initiatedToday = 0n): PaymentCommand => ({
  type: 'InitiatePayment',
  data: {
    paymentId: PAY,
    organizationId: ORG,
    provider: 'paypal',
    amount,
    limits: LIMITS,
    initiatedToday,
    providerOrderId: 'ORDER-1',
    redirectUrl: 'https://paypal.example/checkoutnow?token=ORDER-1',
  },
  metadata: meta,
});
const approve: PaymentCommand = { type: 'ApprovePayment', data: {}, metadata: meta };
const capture = (captureId = 'CAP-1', amount = '20.00', currency = 'USD'): PaymentCommand => ({
  type: 'RecordPaymentCapture',
  data: { captureId, amount, currency, via: 'return' },
  metadata: meta,
});
const fail: PaymentCommand = { type: 'FailPayment', data: { reason: 'INSTRUMENT_DECLINED' }, metadata: meta };
const expire: PaymentCommand = { type: 'ExpirePayment', data: {}, metadata: meta };
const refund = (refundId: string, amount: bigint, walletDebited = amount): PaymentCommand => ({
  type: 'RecordPaymentRefund',
  data: { refundId, amount, reason: 'customer asked', walletDebited },
  metadata: meta,
});
const dispute = (disputeId: string, amount: bigint, walletDebited = amount): PaymentCommand => ({
  type: 'RecordPaymentDispute',
  data: { disputeId, amount, reason: 'chargeback', walletDebited },
  metadata: meta,
});

const initiated: PaymentInitiated = {
  type: 'PaymentInitiated',
  data: {
    paymentId: PAY,
    organizationId: ORG,
    provider: 'paypal',
    amount: '20.000000',
    currency: 'USD',
    providerOrderId: 'ORDER-1',
    redirectUrl: 'https://paypal.example/checkoutnow?token=ORDER-1',
    initiatedBy: 'user-1',
  },
};
const approved: PaymentApproved = {
  type: 'PaymentApproved',
  data: { paymentId: PAY, providerOrderId: 'ORDER-1' },
};
const captured = (captureId = 'CAP-1', amount = '20.000000'): PaymentCaptured => ({
  type: 'PaymentCaptured',
  data: { paymentId: PAY, organizationId: ORG, provider: 'paypal', captureId, amount, via: 'return' },
});
const failed: PaymentFailed = {
  type: 'PaymentFailed',
  data: { paymentId: PAY, reason: 'INSTRUMENT_DECLINED' },
};
const expired: PaymentExpired = { type: 'PaymentExpired', data: { paymentId: PAY } };
const refunded = (
  refundId: string,
  amount: string,
  refundedTotal: string,
  full: boolean,
  walletDebited = amount,
  uncovered = '0.000000',
): PaymentRefunded => ({
  type: 'PaymentRefunded',
  data: {
    paymentId: PAY,
    organizationId: ORG,
    refundId,
    amount,
    refundedTotal,
    full,
    reason: 'customer asked',
    walletDebited,
    uncovered,
  },
});
const disputed = (
  disputeId: string,
  amount: string,
  walletDebited = amount,
  uncovered = '0.000000',
): PaymentDisputed => ({
  type: 'PaymentDisputed',
  data: {
    paymentId: PAY,
    organizationId: ORG,
    disputeId,
    amount,
    reason: 'chargeback',
    walletDebited,
    uncovered,
  },
});

describe('payment decider', () => {
  describe('no payment yet', () => {
    it('initiates a payment of the customer amount, as a money string', () => {
      const state = spec.given([]).when(initiate()).then([initiated]);
      expect(state).toMatchObject({ status: 'initiated', amount: usd(20) });
    });

    it.each([
      ['a JSON number', 20],
      ['three decimals', '20.001'],
      ['a sign', '+20'],
      ['a negative amount', '-20.00'],
      ['an exponent', '2e1'],
      ['a leading zero', '020'],
      ['spaces', ' 20'],
      ['empty', ''],
    ])('refuses %s as the amount', (_label, amount) => {
      spec
        .given([])
        .when(initiate(amount as string))
        .thenThrows('validation', 'invalid_amount');
    });

    it('applies the minimum, the maximum and the daily limit', () => {
      spec
        .given([])
        .when(initiate('4.99'))
        .thenThrows('validation', 'amount_below_minimum', { min: '5.000000' });
      spec.given([]).when(initiate('1000.01')).thenThrows('validation', 'amount_above_maximum');
      spec
        .given([])
        .when(initiate('1000.00'))
        .then([{ ...initiated, data: { ...initiated.data, amount: '1000.000000' } }]);
      spec
        .given([])
        .when(initiate('20.00', usd(1990)))
        .thenThrows('validation', 'daily_limit_exceeded', {
          daily: '2000.000000',
          initiatedToday: '1990.000000',
        });
      spec
        .given([])
        .when(initiate('10.00', usd(1990)))
        .then([{ ...initiated, data: { ...initiated.data, amount: '10.000000' } }]);
    });

    it('accepts one or two decimals and whole dollars', () => {
      expect(parsePaymentAmount('20', LIMITS)).toBe(usd(20));
      expect(parsePaymentAmount('20.5', LIMITS)).toBe(20_500_000n);
      expect(parsePaymentAmount('20.05', LIMITS)).toBe(20_050_000n);
    });

    it('refuses an unknown provider', () => {
      const command = initiate();
      spec
        .given([])
        .when({ ...command, data: { ...command.data, provider: 'bitcoin' } } as unknown as PaymentCommand)
        .thenThrows('validation', 'invalid_provider');
    });

    it.each([approve, capture(), fail, expire, refund('R-1', usd(1))])(
      'answers not found to $type',
      (command) => {
        spec.given([]).when(command).thenThrows('not_found', 'payment_not_found');
      },
    );
  });

  describe('initiated', () => {
    it('cannot be initiated twice', () => {
      spec.given([initiated]).when(initiate()).thenThrows('conflict', 'payment_exists');
    });

    it('is approved once', () => {
      spec.given([initiated]).when(approve).then([approved]);
      spec.given([initiated, approved]).when(approve).then([]);
    });

    it('records a capture (without approval first: a webhook may overtake the return) with the provider amount', () => {
      const state = spec
        .given([initiated])
        .when(capture('CAP-1', '19.99'))
        .then([captured('CAP-1', '19.990000')]);
      expect(state).toMatchObject({ status: 'captured', captured: 19_990_000n, amount: usd(20) });
    });

    it('refuses a capture in another currency or with a malformed amount', () => {
      spec
        .given([initiated])
        .when(capture('CAP-1', '20.00', 'EUR'))
        .thenThrows('validation', 'unsupported_currency');
      spec.given([initiated]).when(capture('CAP-1', '20,00')).thenThrows('validation', 'invalid_amount');
      spec.given([initiated]).when(capture('CAP-1', '0.00')).thenThrows('validation', 'invalid_amount');
    });

    it('fails and expires', () => {
      spec.given([initiated]).when(fail).then([failed]);
      spec.given([initiated]).when(expire).then([expired]);
    });

    it('cannot be refunded or disputed', () => {
      spec
        .given([initiated])
        .when(refund('R-1', usd(1)))
        .thenThrows('conflict', 'payment_not_captured');
      spec
        .given([initiated])
        .when(dispute('D-1', usd(1)))
        .thenThrows('conflict', 'payment_not_captured');
    });
  });

  describe('approved', () => {
    it('records the capture, fails or expires', () => {
      spec.given([initiated, approved]).when(capture()).then([captured()]);
      spec.given([initiated, approved]).when(fail).then([failed]);
      spec.given([initiated, approved]).when(expire).then([expired]);
    });
  });

  describe('captured', () => {
    const history: PaymentEvent[] = [initiated, approved, captured()];

    it('records the same capture once, whatever repeats it', () => {
      spec.given(history).when(capture()).then([]);
      spec.given(history).when(approve).then([]);
      spec.given(history).when(expire).then([]);
      spec.given(history).when(fail).then([]);
    });

    it('refuses a second, different capture', () => {
      spec
        .given(history)
        .when(capture('CAP-2'))
        .thenThrows('conflict', 'capture_mismatch', { captureId: 'CAP-1' });
    });

    it('is refunded partially, then fully', () => {
      const afterPartial = spec
        .given(history)
        .when(refund('R-1', usd(5)))
        .then([refunded('R-1', '5.000000', '5.000000', false)]);
      expect(refundableAmount(afterPartial)).toBe(usd(15));
      spec
        .given([...history, refunded('R-1', '5.000000', '5.000000', false)])
        .when(refund('R-2', usd(15)))
        .then([refunded('R-2', '15.000000', '20.000000', true)]);
    });

    it('refuses a refund above what is left, zero or negative', () => {
      spec
        .given(history)
        .when(refund('R-1', usd(21)))
        .thenThrows('validation', 'refund_exceeds_captured', {
          refundable: '20.000000',
        });
      spec.given(history).when(refund('R-1', 0n)).thenThrows('validation', 'invalid_amount');
      expect(() => checkRefund(stateAfter(paymentDecider, history), -1n)).toThrow('amount');
    });

    it('records the part of a refund the wallet could not cover', () => {
      spec
        .given(history)
        .when(refund('R-1', usd(20), usd(7)))
        .then([refunded('R-1', '20.000000', '20.000000', true, '7.000000', '13.000000')]);
      spec
        .given(history)
        .when(refund('R-1', usd(5), usd(6)))
        .thenThrows('validation', 'invalid_wallet_debit');
    });

    it('records a dispute, capped at what was captured', () => {
      const state = spec
        .given(history)
        .when(dispute('D-1', usd(25), usd(3)))
        .then([disputed('D-1', '20.000000', '3.000000', '17.000000')]);
      expect(state).toMatchObject({ status: 'disputed', disputed: usd(20) });
      expect(refundableAmount(state)).toBe(0n);
    });
  });

  describe('refunded', () => {
    const history: PaymentEvent[] = [initiated, captured(), refunded('R-1', '5.000000', '5.000000', false)];

    it('records a refund id once', () => {
      spec
        .given(history)
        .when(refund('R-1', usd(5)))
        .then([]);
    });

    it('can still be disputed for what is left', () => {
      spec
        .given(history)
        .when(dispute('D-1', usd(20), usd(15)))
        .then([disputed('D-1', '15.000000')]);
    });
  });

  describe('disputed', () => {
    const history: PaymentEvent[] = [initiated, captured(), disputed('D-1', '5.000000')];

    it('records a dispute id once and stays disputed after a refund', () => {
      spec
        .given(history)
        .when(dispute('D-1', usd(5)))
        .then([]);
      const state = spec
        .given(history)
        .when(refund('R-1', usd(15)))
        .then([refunded('R-1', '15.000000', '15.000000', true)]);
      expect(state.status).toBe('disputed');
    });
  });

  describe('failed', () => {
    it('records a capture the provider reports later (the money was taken)', () => {
      spec.given([initiated, failed]).when(capture()).then([captured()]);
      spec.given([initiated, failed]).when(expire).then([]);
      spec.given([initiated, failed]).when(fail).then([]);
    });
  });

  describe('expired', () => {
    it('records a late capture and nothing else', () => {
      spec.given([initiated, expired]).when(capture()).then([captured()]);
      spec.given([initiated, expired]).when(approve).then([]);
      spec.given([initiated, expired]).when(expire).then([]);
    });
  });
});
