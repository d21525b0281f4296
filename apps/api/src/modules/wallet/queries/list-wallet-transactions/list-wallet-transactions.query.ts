import { Query } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';

export interface WalletTransactionView {
  id: string;
  type: string;
  amount: string;
  attemptedAmount: string | null;
  balanceAfter: string;
  description: string;
  reference: string | null;
  chargeId: string | null;
  actorUserId: string;
  occurredAt: string;
  position: string;
}

export interface WalletTransactionsPage {
  items: WalletTransactionView[];
  nextCursor: string | null;
}

export interface WalletTransactionsFilter {
  /** Only these entry (event) types; null: all. */
  types: string[] | null;
  /** Only entries that occurred at or after this instant; null: all. */
  since: Date | null;
}

/** Newest first; `before` = the cursor's position (exclusive). */
export class ListWalletTransactionsQuery extends Query<WalletTransactionsPage> {
  constructor(
    readonly organizationId: string,
    readonly limit: number,
    readonly before: Position | null,
    readonly filter: WalletTransactionsFilter = { types: null, since: null },
  ) {
    super();
  }
}
