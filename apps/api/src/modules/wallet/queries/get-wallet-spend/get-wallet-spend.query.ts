import { Query } from '@nestjs/cqrs';

export interface WalletSpendView {
  since: string;
  /** Spend since `since`, decimal string (charges minus refunds). */
  total: string;
  /** Per UTC hour with spend, oldest first. */
  hours: { hour: string; amount: string }[];
}

export class GetWalletSpendQuery extends Query<WalletSpendView> {
  constructor(
    readonly organizationId: string,
    readonly since: Date,
  ) {
    super();
  }
}
