import { assertNever, money, type PaymentEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { PaymentEntity, type PaymentRow } from './payment.entity';

export const PAYMENT_EVENT_TYPES = [
  'PaymentInitiated',
  'PaymentApproved',
  'PaymentCaptured',
  'PaymentFailed',
  'PaymentExpired',
  'PaymentRefunded',
  'PaymentDisputed',
] as const satisfies readonly PaymentEvent['type'][];

/** Customer payments: the organization's payment history, the daily limit's sum and the staff list. */
export const paymentsProjection: Projection<PaymentRow> = {
  name: 'payments',
  entity: PaymentEntity,
  handles: PAYMENT_EVENT_TYPES,
  keyOf: (event) => (event.data as { paymentId?: string }).paymentId ?? null,
  evolve(row, recorded) {
    const event = asRecorded<PaymentEvent>(recorded);
    const at = occurredAt(event);
    if (event.type === 'PaymentInitiated') {
      const { data } = event;
      return {
        paymentId: data.paymentId,
        organizationId: data.organizationId,
        provider: data.provider,
        status: 'initiated',
        amount: money(data.amount),
        capturedAmount: null,
        refundedAmount: 0n,
        disputedAmount: 0n,
        uncoveredAmount: 0n,
        providerOrderId: data.providerOrderId,
        captureId: null,
        redirectUrl: data.redirectUrl,
        initiatedBy: data.initiatedBy,
        createdAt: at,
        updatedAt: at,
      };
    }
    if (!row) return null;
    switch (event.type) {
      case 'PaymentApproved':
        return row.status === 'initiated' ? { ...row, status: 'approved', updatedAt: at } : row;
      case 'PaymentCaptured':
        return {
          ...row,
          status: 'captured',
          capturedAmount: money(event.data.amount),
          captureId: event.data.captureId,
          updatedAt: at,
        };
      case 'PaymentFailed':
        return { ...row, status: 'failed', updatedAt: at };
      case 'PaymentExpired':
        return { ...row, status: 'expired', updatedAt: at };
      case 'PaymentRefunded':
        return {
          ...row,
          status: row.status === 'disputed' ? 'disputed' : 'refunded',
          refundedAmount: row.refundedAmount + money(event.data.amount),
          uncoveredAmount: row.uncoveredAmount + money(event.data.uncovered),
          updatedAt: at,
        };
      case 'PaymentDisputed':
        return {
          ...row,
          status: 'disputed',
          disputedAmount: row.disputedAmount + money(event.data.amount),
          uncoveredAmount: row.uncoveredAmount + money(event.data.uncovered),
          updatedAt: at,
        };
      default:
        return assertNever(event);
    }
  },
};
