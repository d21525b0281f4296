import { Query } from '@nestjs/cqrs';

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
  /** Net paid for this server so far: charges minus refunds. */
  totalCharged: string;
  charges: VpsChargeView[];
}

/** A server's charges from the wallet ledger (charge ids "vps-<id>:…"), newest first. */
export class GetVpsBillingQuery extends Query<VpsBillingView> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
  ) {
    super();
  }
}
