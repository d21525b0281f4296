import { BigIntType, EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';

/** An organization's prepaid balance, in micro-dollars. */
export interface WalletRow {
  [PrimaryKeyProp]?: 'organizationId';
  organizationId: string;
  currency: 'USD';
  balance: bigint;
  updatedAt: Date;
  /** Money-moving events applied, failed charge attempts included (one per wallet_transactions row). */
  transactionCount: number;
  /** Charges left unpaid by deleted servers and not collected yet (not part of the balance; see the wallet decider). */
  outstandingDebt: bigint;
}

export const WalletEntity = new EntitySchema<WalletRow>({
  name: 'Wallet',
  tableName: 'wallets',
  properties: {
    organizationId: { type: 'string', columnType: 'text', primary: true },
    currency: { type: 'string', columnType: 'text' },
    balance: { type: new BigIntType('bigint'), columnType: 'bigint' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
    transactionCount: { type: 'integer', columnType: 'integer' },
    outstandingDebt: { type: new BigIntType('bigint'), columnType: 'bigint', default: 0 },
  },
});
