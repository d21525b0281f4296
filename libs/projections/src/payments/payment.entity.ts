import { BigIntType, EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';

export type PaymentRowStatus =
  'initiated' | 'approved' | 'captured' | 'failed' | 'expired' | 'refunded' | 'disputed';

/** One customer payment (stream `payment-<id>`), for the organization's history and the staff list. */
export interface PaymentRow {
  [PrimaryKeyProp]?: 'paymentId';
  paymentId: string;
  organizationId: string;
  provider: 'paypal' | 'stripe';
  status: PaymentRowStatus;
  /** micros asked for */
  amount: bigint;
  /** micros the provider captured (credited), null until captured */
  capturedAmount: bigint | null;
  refundedAmount: bigint;
  disputedAmount: bigint;
  /** Refunds and disputes the wallet could not cover (outstanding). */
  uncoveredAmount: bigint;
  providerOrderId: string;
  captureId: string | null;
  redirectUrl: string;
  initiatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const PaymentEntity = new EntitySchema<PaymentRow>({
  name: 'Payment',
  tableName: 'payments',
  indexes: [
    {
      name: 'payments_organization_created_at_index',
      expression:
        'create index "payments_organization_created_at_index" on "payments" ("organization_id", "created_at" desc, "payment_id" desc)',
    },
    {
      name: 'payments_created_at_index',
      expression:
        'create index "payments_created_at_index" on "payments" ("created_at" desc, "payment_id" desc)',
    },
    {
      name: 'payments_provider_capture_id_index',
      expression:
        'create index "payments_provider_capture_id_index" on "payments" ("provider", "capture_id") where "capture_id" is not null',
    },
  ],
  properties: {
    paymentId: { type: 'string', columnType: 'text', primary: true },
    organizationId: { type: 'string', columnType: 'text' },
    provider: { type: 'string', columnType: 'text' },
    status: { type: 'string', columnType: 'text' },
    amount: { type: new BigIntType('bigint'), columnType: 'bigint' },
    capturedAmount: { type: new BigIntType('bigint'), columnType: 'bigint', nullable: true },
    refundedAmount: { type: new BigIntType('bigint'), columnType: 'bigint' },
    disputedAmount: { type: new BigIntType('bigint'), columnType: 'bigint' },
    uncoveredAmount: { type: new BigIntType('bigint'), columnType: 'bigint' },
    providerOrderId: { type: 'string', columnType: 'text' },
    captureId: { type: 'string', columnType: 'text', nullable: true },
    redirectUrl: { type: 'string', columnType: 'text' },
    initiatedBy: { type: 'string', columnType: 'text' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
