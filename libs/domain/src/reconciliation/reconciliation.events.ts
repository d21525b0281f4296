import type { DomainEvent } from '../shared/decider';
import type { MoneyString } from '../money/money';
import type { ReconciliationLine, ReconciliationSummary } from '../billing/reconciliation';

/** What a run covers. */
export interface ReconciliationWindow {
  reconciliationId: string;
  from: string;
  to: string;
  organizationId: string | null;
  periodSeconds: number;
}

/**
 * Stream `reconciliation-<reconciliationId>`: a run requested, its progress (organization by organization, in
 * id order, with the lines found), finished or failed, then its resolutions.
 */
export type BillingReconciliationRequested = DomainEvent<
  'BillingReconciliationRequested',
  ReconciliationWindow
>;
/** Organizations after the previous progress up to `throughOrganizationId` (inclusive) were replayed. */
export type BillingReconciliationProgressed = DomainEvent<
  'BillingReconciliationProgressed',
  {
    reconciliationId: string;
    throughOrganizationId: string;
    organizations: number;
    eventsRead: number;
    /** Of these organizations only. */
    summary: ReconciliationSummary;
    lines: ReconciliationLine[];
  }
>;
export type BillingReconciliationFinished = DomainEvent<
  'BillingReconciliationFinished',
  {
    reconciliationId: string;
    organizations: number;
    eventsRead: number;
    /** The whole run. */
    summary: ReconciliationSummary;
  }
>;
export type BillingReconciliationFailed = DomainEvent<
  'BillingReconciliationFailed',
  { reconciliationId: string; reason: string }
>;
/** A run replayed inside the request (runs recorded before runs became background jobs): result in one event. */
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
    /** Signed, as moved on the wallet's balance (+ back to the customer). */
    adjustmentAmount: MoneyString;
    /**
     * A payment debit's part the balance could not cover, recorded as the wallet's outstanding debt (absent when
     * none, and in resolutions recorded before it was).
     */
    debtRecorded?: MoneyString;
    reason: string;
    /** The WalletAdjusted event id. */
    walletEventRef: string;
  }
>;

export type ReconciliationEvent =
  | BillingReconciliationRequested
  | BillingReconciliationProgressed
  | BillingReconciliationFinished
  | BillingReconciliationFailed
  | BillingReconciliationCompleted
  | ReconciliationLineResolved;
