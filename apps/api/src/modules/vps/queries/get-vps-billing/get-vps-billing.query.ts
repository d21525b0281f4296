import { Query } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';

export interface VpsChargeView {
  id: string;
  type: string;
  chargeId: string;
  /** Signed as in the ledger: charges negative, refunds positive, failed attempts zero. */
  amount: string;
  attemptedAmount: string | null;
  description: string;
  occurredAt: string;
  position: string;
}

export interface VpsBillingView {
  vpsId: string;
  hourlyPrice: string;
  monthlyPrice: string;
  lastBilledAt: string | null;
  billedUntil: string | null;
  /** Net paid for this server so far, over all its charges (not only this page's): charges minus refunds. */
  totalCharged: string;
  /** One page of the server's ledger entries. */
  charges: VpsChargeView[];
  nextCursor: string | null;
}

/** A page of a server's charges from the wallet ledger (charge ids "vps-<id>:…"), newest first. */
export class GetVpsBillingQuery extends Query<VpsBillingView> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly limit: number,
    /** The cursor's position (exclusive); null: the newest page. */
    readonly before: Position | null,
  ) {
    super();
  }
}
