import { Query } from '@nestjs/cqrs';

export interface WalletView {
  organizationId: string;
  balance: string;
  currency: 'USD';
  transactionCount: number;
  updatedAt: string | null;
}

export class GetWalletQuery extends Query<WalletView> {
  constructor(readonly organizationId: string) {
    super();
  }
}
