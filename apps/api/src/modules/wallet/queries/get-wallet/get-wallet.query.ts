import { Query } from '@nestjs/cqrs';

export interface WalletView {
  organizationId: string;
  balance: string;
  /** Charges left unpaid by deleted servers (not part of the balance); the next credit collects them. */
  outstandingDebt: string;
  currency: 'USD';
  transactionCount: number;
  updatedAt: string | null;
}

export class GetWalletQuery extends Query<WalletView> {
  constructor(readonly organizationId: string) {
    super();
  }
}
