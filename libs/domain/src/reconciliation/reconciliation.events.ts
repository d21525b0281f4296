import type { DomainEvent } from '../shared/decider';
import type { MoneyString } from '../money/money';
import type { ReconciliationLine, ReconciliationSummary } from '../billing/reconciliation';

/** Stream `reconciliation-<reconciliationId>`: one billing replay, stored as its result, then its resolutions. */
export type BillingReconciliationCompleted = DomainEvent<
  'BillingReconciliationCompleted',
  {
    reconciliationId: string;
    from: string;
    to: string;
    organizationId: string | null;
    periodSeconds: number;
    summary: ReconciliationSummary;
    lines: ReconciliationLine[];
  }
>;
/** A discrepancy corrected by a wallet adjustment (never an edit of the charge). */
export type ReconciliationLineResolved = DomainEvent<
  'ReconciliationLineResolved',
  {
    reconciliationId: string;
    lineId: string;
    organizationId: string;
    chargeId: string;
    /** Signed, as moved on the wallet (+ back to the customer). */
    adjustmentAmount: MoneyString;
    reason: string;
    /** The WalletAdjusted event id. */
    walletEventRef: string;
  }
>;

export type ReconciliationEvent = BillingReconciliationCompleted | ReconciliationLineResolved;
