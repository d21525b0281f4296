/**
 * The activities the workflows call, as an interface: apps/workers implements it (createActivities),
 * the workflows only see these types. Every activity may run more than once (retries, a worker killed
 * mid-call, two workers): each one is idempotent (deterministic event ids, find-before-create,
 * deleting a missing instance succeeds). Money crosses as decimal strings (payloads are JSON).
 */
import type { ActivityOptions } from '@temporalio/common';
import type { MoneyString, ProvisioningStage } from '@stratus/domain';
import type { TransferMeasurementResult, TransferMonthCloseResult } from './contracts';

/** Failure types activities raise as non-retryable ApplicationFailures; workflows branch on them. */
export const ACTIVITY_FAILURE_TYPES = {
  /** The provider refused for good (4xx other than 429). */
  providerFinal: 'ProviderFinalError',
  /** The domain refused the command (the aggregate's state forbids it, bad data). */
  domainRejected: 'DomainRejected',
  /** A required stream or event is missing (e.g. no VpsRequested). */
  notFound: 'NotFound',
} as const;

/**
 * Provider and store activities heartbeat (the workers' activity wrapper, every ACTIVITY_HEARTBEAT_INTERVAL_MS)
 * and are scheduled with this heartbeatTimeout: the attempt of a worker killed mid-call is retried within
 * seconds instead of after its start-to-close timeout.
 */
export const ACTIVITY_HEARTBEAT_TIMEOUT = '10s';
export const ACTIVITY_HEARTBEAT_INTERVAL_MS = 2000;

/**
 * Event-store work of the provisioning and operation workflows: cheap, retried patiently (the database may be
 * restarting); domain refusals and missing streams are final.
 */
export const EVENT_STORE_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '30s',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '200ms',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    maximumAttempts: 50,
    nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.domainRejected, ACTIVITY_FAILURE_TYPES.notFound],
  },
};

export type FirstHourChargeResult =
  | {
      outcome: 'charged';
      chargeId: string;
      amount: MoneyString;
      hourlyPrice: MoneyString;
      periodStart: string;
      periodEnd: string;
    }
  | { outcome: 'insufficient_funds'; chargeId: string; amount: MoneyString; balance: MoneyString };

export type WaitUntilRunningResult =
  { outcome: 'running'; ipv4: string } | { outcome: 'timeout'; lastStatus: string };

/**
 * `deletionRequestedAt`: when the server's deletion was recorded (its stream says so even if the signal was
 * lost); absent in results recorded before it existed.
 */
export type PeriodChargeResult = (
  | { outcome: 'charged'; chargeId: string; amount: MoneyString }
  | { outcome: 'insufficient_funds'; chargeId: string; amount: MoneyString; balance: MoneyString }
) & { deletionRequestedAt?: string | null };

/** Suspend/resume did nothing when `deletionRequestedAt` is set (absent in results recorded before it existed). */
export type PowerChangeResult = { deletionRequestedAt?: string | null } | undefined;

/** A charge left unpaid, as its period charge made it (charge id `vps-<id>:<periodStart>`). */
export interface UnpaidCharge {
  periodStart: string;
  periodEnd: string;
  amount: MoneyString;
  /** The prorated final charge (its subject says so, as chargeFinalPeriod's does). */
  final: boolean;
}

export interface ProvisioningActivities {
  /** RecordProvisioningStage; event id from (vpsId, stage, attempt). */
  recordProvisioningStage(input: { vpsId: string; stage: ProvisioningStage; attempt: number }): Promise<void>;
  /**
   * Wallet ChargeWallet (chargeId `vps-<id>:<periodStart>`) then RecordFirstHourCharged. Insufficient
   * funds records WalletChargeFailed and returns outcome 'insufficient_funds'.
   */
  chargeFirstHour(input: {
    vpsId: string;
    /**
     * Absent: the first hour starts at the request's occurredAt (firstHourStartOf), the rule reconciliation
     * expects its charge id by. Workflows started before that passed their own clock's instant.
     */
    periodStart?: string;
    periodSeconds: number;
  }): Promise<FirstHourChargeResult>;
  /** Find by tag `vps:<id>` first, else create (root password decrypted from VpsRequested); RecordInstanceCreated. */
  createInstance(input: { vpsId: string }): Promise<{ providerInstanceId: string }>;
  /** Heartbeating poll until the provider reports running, or until `timeoutSeconds` pass. */
  waitUntilRunning(input: {
    vpsId: string;
    providerInstanceId: string;
    timeoutSeconds: number;
  }): Promise<WaitUntilRunningResult>;
  markProvisioningStuck(input: {
    vpsId: string;
    stage: ProvisioningStage;
    reason: string;
    attempt: number;
  }): Promise<void>;
  retryProvisioning(input: { vpsId: string; stage: ProvisioningStage; attempt: number }): Promise<void>;
  /** ActivateVps; 'deletion_requested' when the customer deleted the server meanwhile (nothing recorded). */
  /**
   * ActivateVps. Period billing starts at the later of the first hour's end and now (hours stuck in provisioning
   * are not billed); the result says where (absent in results recorded before: the first hour's end).
   */
  activateVps(input: {
    vpsId: string;
    providerInstanceId: string;
    ipv4: string;
    billingWorkflowId: string;
    /** The first hour's end: billing starts no earlier. `billedUntil` in inputs scheduled by older workflows. */
    firstHourEnd?: string;
    billedUntil?: string;
  }): Promise<{ outcome: 'activated'; billedUntil?: string } | { outcome: 'deletion_requested' }>;
  /** Whether the customer asked to delete the server (VpsDeletionRequested in its stream). */
  isDeletionRequested(input: { vpsId: string }): Promise<boolean>;
  /** Deletes the instance by id and every instance tagged `vps:<id>`; missing ones are fine. Returns how many existed. */
  deleteInstances(input: { vpsId: string; providerInstanceId: string | null }): Promise<{ deleted: number }>;
  /**
   * Wallet RefundCharge of the first hour if, and only if, it was charged (its WalletCharged is recorded), for the
   * amount charged; event id from the charge id. The charge id is the server's first-hour id (firstHourStartOf)
   * unless given (older workflows). Registered before the charge, so a charge whose activity failed after it
   * committed is refunded too. `refunded`: the charge is refunded now or was already (absent in older results).
   */
  refundFirstHour(input: {
    vpsId: string;
    chargeId?: string;
    amount?: MoneyString;
    reason: string;
  }): Promise<{ refunded: boolean } | void>;
  /** FailProvisioning: the server ends `failed` with the reason. */
  failProvisioning(input: {
    vpsId: string;
    stage: ProvisioningStage;
    reason: string;
    instanceDeleted: boolean;
    refunded: boolean;
  }): Promise<void>;
}

export interface BillingActivities {
  /**
   * Charges one period (chargeId `vps-<id>:<periodStart>`), then RecordPeriodBilled, or on insufficient
   * funds WalletChargeFailed + RecordPeriodChargeFailed. The wallet event id of a successful charge
   * depends only on the charge id, so a period can never be charged twice; `attempt` separates the
   * records of failed attempts (a top-up makes the next attempt a new decision).
   */
  chargePeriod(input: {
    vpsId: string;
    periodStart: string;
    periodEnd: string;
    periodSeconds: number;
    attempt: number;
  }): Promise<PeriodChargeResult>;
  /**
   * Provider shutdown, then SuspendVps{debt}. `since`: start of the oldest unpaid period, which names this
   * suspension (its event id), so a re-run never records a second one. No-op once deletion is requested.
   */
  suspendVps(input: { vpsId: string; debt: MoneyString; since: string }): Promise<PowerChangeResult>;
  /** Provider boot, then ResumeVps (`since` as for the suspension it ends). No-op once deletion is requested. */
  resumeVps(input: { vpsId: string; since: string }): Promise<PowerChangeResult>;
  /** VpsBillingActionFailed: a suspension or resumption failed for good; `attempt` names the try. */
  recordBillingActionFailed(input: {
    vpsId: string;
    action: 'suspend' | 'resume';
    reason: string;
    attempt: string;
  }): Promise<void>;
  /** VpsDeletionWarning: the suspended server will be deleted at `deleteAt` (one per `secondsBefore`). */
  warnDeletion(input: { vpsId: string; deleteAt: string; secondsBefore: number }): Promise<void>;
  /** RequestDeletion with the system as actor: a long-suspended server goes the normal deletion path. */
  requestSystemDeletion(input: { vpsId: string }): Promise<void>;
  /**
   * The final prorated charge for [from, to) (chargeForElapsed; nothing when to <= from). Never fails
   * for lack of funds: a failed final charge is recorded as such and the amount is still reported.
   */
  chargeFinalPeriod(input: {
    vpsId: string;
    from: string;
    to: string;
    periodSeconds: number;
  }): Promise<{ finalChargeId: string | null; finalCharge: MoneyString; charged: boolean }>;
  /**
   * At the deletion, what the wallet still cannot pay (unpaid periods oldest first, then a failed final charge):
   * wallet RecordDebt per charge id, kept as the organization's outstanding debt and collected by its next credit
   * (or charged at once when a credit arrived since). Event ids from the charge id: re-running records nothing.
   */
  recordDebts(input: {
    vpsId: string;
    charges: UnpaidCharge[];
  }): Promise<{ recorded: number; charged: number }>;
  deleteInstances(input: { vpsId: string; providerInstanceId: string | null }): Promise<{ deleted: number }>;
  markDeleted(input: {
    vpsId: string;
    finalChargeId: string | null;
    finalCharge: MoneyString;
    deletedAt: string;
  }): Promise<void>;
  /** The provider instance id recorded for the server (VpsInstanceCreated/VpsActivated), if any. */
  providerInstanceOf(input: { vpsId: string }): Promise<string | null>;
  /**
   * deleteServerSignal again (with the recorded request's instant) to each server `deleting` in the read model
   * for longer than `stuckAfterSeconds`; a billing workflow that already handled it ignores the repeat.
   */
  resignalStuckDeletions(input: { stuckAfterSeconds: number }): Promise<{ signalled: number }>;
}

/** The billing reconciliation job (stream `reconciliation-<id>`, requested by the API). */
export interface ReconciliationActivities {
  /**
   * Replays the run's organizations in id order from their own streams and records each batch's lines as a
   * progress event, then the run as finished. Long: heartbeats the last organization recorded, and a retried
   * attempt resumes after it (from the heartbeat, or from the progress already on the stream).
   */
  runBillingReconciliation(input: {
    reconciliationId: string;
  }): Promise<{ organizations: number; eventsRead: number; lines: number }>;
  /** Records the run as failed (nothing when it has already ended). */
  failBillingReconciliation(input: { reconciliationId: string; reason: string }): Promise<void>;
}

/** Where a payment stands after an activity looked at it (the payment stream's status). */
export type PaymentProgress = {
  status: 'initiated' | 'approved' | 'captured' | 'refunded' | 'disputed' | 'failed' | 'expired';
};

/** A customer payment's workflow (stream `payment-<id>`), through the settlement the API's routes use. */
export interface PaymentActivities {
  /**
   * Looks at the payment: settled already, its credit is made sure of; otherwise the provider is asked (PayPal:
   * the order read back and, once approved, captured with `PayPal-Request-Id` derived from the payment; Stripe:
   * the Checkout Session read back) and its answer applied as a return or a webhook would (capture + credit under
   * ids derived from the capture id: once, whoever gets there first).
   */
  pollPayment(input: { paymentId: string }): Promise<PaymentProgress>;
  /**
   * The deadline passed: the provider is asked once more (a capture still wins), then ExpirePayment. A provider
   * that refuses for good (the order is gone) does not stop the expiry.
   */
  expirePayment(input: { paymentId: string }): Promise<PaymentProgress>;
}

/**
 * An operation's steps (vpsOperation workflows). The provider steps read what to do from the operation in progress
 * on the server's stream; `stale` when it is no longer in progress (an earlier run recorded its end): nothing done.
 */
export interface OperationActivities {
  /** Sets the instance's label at the provider to the rename's label (vpsInstanceLabel). */
  renameInstance(input: { vpsId: string; operationId: string }): Promise<{ outcome: 'done' | 'stale' }>;
  /** Sets the reverse DNS of the server's address at the provider (null: the provider's default). */
  setInstanceReverseDns(input: {
    vpsId: string;
    operationId: string;
  }): Promise<{ outcome: 'done' | 'stale' }>;
  // ---- backups and firewall (issue 15) ----
  /**
   * Asks the provider for the snapshot's backup (unless one with its label, taken since the request, is there
   * already: a retried request must not start a second); its backup id.
   */
  takeSnapshot(input: {
    vpsId: string;
    operationId: string;
  }): Promise<{ outcome: 'done'; backupId: string } | { outcome: 'stale' }>;
  /** Polls until that snapshot succeeded; fails for good when the provider says it failed. */
  awaitSnapshot(input: {
    vpsId: string;
    operationId: string;
    backupId: string;
  }): Promise<{ outcome: 'done' | 'stale' }>;
  /** Restores the operation's backup over the instance (nothing when the instance is already restoring). */
  restoreInstanceBackup(input: {
    vpsId: string;
    operationId: string;
  }): Promise<{ outcome: 'done' | 'stale' }>;
  /** Polls until the restore has finished, boots the instance if it is off, and polls until it runs. */
  awaitRestoredRunning(input: { vpsId: string; operationId: string }): Promise<{ outcome: 'done' | 'stale' }>;
  /**
   * Compensation of a restore that did not finish: boots the instance when it is off (a no-op when it runs or is
   * still restoring), so a failed restore does not leave the customer's server down.
   */
  bootAfterFailedRestore(input: { vpsId: string }): Promise<void>;
  /**
   * The server's own firewall: found by its label (its rules set, the instance put behind it) or created with the
   * rules and the instance.
   */
  applyServerFirewall(input: { vpsId: string; operationId: string }): Promise<{ outcome: 'done' | 'stale' }>;
  /** Takes the instance from behind the platform's default firewall (its own rules replace the default). */
  leavePlatformFirewall(input: {
    vpsId: string;
    operationId: string;
  }): Promise<{ outcome: 'done' | 'stale' }>;
  /**
   * Compensation of a firewall change that did not finish, for a server that had no rules of its own: takes the
   * instance from behind its own firewall again, so the default it had stays the rules in effect.
   */
  undoServerFirewall(input: { vpsId: string; operationId: string }): Promise<void>;
  // ---- rebuild, resize, backups (issue 15) ----
  /** Rebuilds the instance with the operation's image, root password (decrypted) and authorized keys. */
  rebuildInstance(input: { vpsId: string; operationId: string }): Promise<{ outcome: 'done' | 'stale' }>;
  /** Resizes the instance to the operation's plan type (nothing when it already has that type: a repeat). */
  resizeInstance(input: { vpsId: string; operationId: string }): Promise<{ outcome: 'done' | 'stale' }>;
  /** Turns the provider's backups on or off as the operation asks. */
  setInstanceBackups(input: { vpsId: string; operationId: string }): Promise<{ outcome: 'done' | 'stale' }>;
  /**
   * Heartbeating poll until the instance is running again after a rebuild or resize, or `timeoutSeconds` pass
   * (the deadline survives a retry).
   */
  waitForOperationRunning(input: {
    vpsId: string;
    operationId: string;
    timeoutSeconds: number;
  }): Promise<{ outcome: 'running' | 'timeout' | 'stale'; lastStatus?: string }>;
  /** ResetConsoleHostKey: the rebuilt server's new host key is pinned on the next console connection. */
  resetConsoleHostKey(input: { vpsId: string; operationId: string }): Promise<void>;
  /** CompleteOperation: the operation's effect is recorded (nothing when already recorded). */
  completeOperation(input: { vpsId: string; operationId: string }): Promise<void>;
  /** FailOperation with the reason (nothing when the operation already ended). */
  failOperation(input: { vpsId: string; operationId: string; reason: string }): Promise<void>;
}

/** Transfer (bandwidth): the hourly measurement and the month close (transfer.workflow.ts). */
export interface TransferActivities {
  /**
   * Every metered server's (active or suspended, with an instance) provider counter recorded for the current hour
   * on `transfer-<vpsId>-<YYYY-MM>` (RecordTransferMeasurement: an hour already recorded records nothing).
   * A server whose provider call fails is counted in `failed` and left to the next hour. Heartbeats.
   */
  measureTransfer(input: Record<string, never>): Promise<TransferMeasurementResult>;
  /** Up to `limit` organization ids after `after`, ascending (the read models' directory). */
  organizationsPage(input: { after: string | null; limit: number }): Promise<string[]>;
  /**
   * The organization's month pooled from its servers' measurements (transferMonthBill at the price in effect at
   * the month's end), the overage charged once as `transfer-<org>:<month>` (wallet RecordDebt: paid, or kept as
   * debt the next credit collects), then TransferMonthClosed. Refused (DomainRejected) before the month's end.
   * Run again, it finds the month closed and answers what was recorded.
   */
  closeTransferMonth(input: { organizationId: string; month: string }): Promise<TransferMonthCloseResult>;
}

export type StratusActivities = ProvisioningActivities &
  TransferActivities &
  BillingActivities &
  ReconciliationActivities &
  PaymentActivities &
  OperationActivities;
