import { BigIntType, EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';

/**
 * One money event of a wallet, newest first by global position. `amount` is signed micro-dollars
 * (charges negative); a failed charge moves nothing (amount 0) and keeps what it tried in `attemptedAmount`.
 */
export interface WalletTransactionRow {
  [PrimaryKeyProp]?: 'id';
  /** The event id. */
  id: string;
  organizationId: string;
  /** The event type, e.g. 'WalletCharged'. */
  type: string;
  amount: bigint;
  attemptedAmount: bigint | null;
  balanceAfter: bigint;
  description: string;
  reference: string | null;
  chargeId: string | null;
  actorUserId: string;
  occurredAt: Date;
  positionCommit: bigint;
  positionPrepare: bigint;
}

export const WalletTransactionEntity = new EntitySchema<WalletTransactionRow>({
  name: 'WalletTransaction',
  tableName: 'wallet_transactions',
  indexes: [
    {
      name: 'wallet_transactions_organization_position_index',
      expression:
        'create index "wallet_transactions_organization_position_index" on "wallet_transactions" ("organization_id", "position_commit" desc, "position_prepare" desc)',
    },
    {
      // The ledger's `since` filter and the spend sums.
      name: 'wallet_transactions_organization_occurred_at_index',
      expression:
        'create index "wallet_transactions_organization_occurred_at_index" on "wallet_transactions" ("organization_id", "occurred_at")',
    },
  ],
  properties: {
    id: { type: 'uuid', columnType: 'uuid', primary: true },
    organizationId: { type: 'string', columnType: 'text' },
    type: { type: 'string', columnType: 'text' },
    amount: { type: new BigIntType('bigint'), columnType: 'bigint' },
    attemptedAmount: { type: new BigIntType('bigint'), columnType: 'bigint', nullable: true },
    balanceAfter: { type: new BigIntType('bigint'), columnType: 'bigint' },
    description: { type: 'string', columnType: 'text' },
    reference: { type: 'string', columnType: 'text', nullable: true },
    chargeId: { type: 'string', columnType: 'text', nullable: true },
    actorUserId: { type: 'string', columnType: 'text' },
    occurredAt: { type: 'Date', columnType: 'timestamptz' },
    positionCommit: { type: new BigIntType('bigint'), columnType: 'bigint' },
    positionPrepare: { type: new BigIntType('bigint'), columnType: 'bigint' },
  },
});
