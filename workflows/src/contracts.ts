/**
 * What the API, the workers and the workflows agree on: task queue, workflow ids, inputs, signals,
 * queries and search attributes. Deterministic; safe to import from workflow code and from clients.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { MoneyString, ProvisioningStage, VpsOperationKind } from '@stratus/domain';

export const TASK_QUEUE = 'stratus';

export const provisioningWorkflowId = (vpsId: string) => `vps-provisioning-${vpsId}`;
export const billingWorkflowId = (vpsId: string) => `vps-billing-${vpsId}`;
/** One workflow per run: starting it again for the same run finds the one already started. */
export const billingReconciliationWorkflowId = (reconciliationId: string) =>
  `billing-reconciliation-${reconciliationId}`;

/** One workflow per operation on a server (its id from the API's VpsOperationStarted), e.g. `vps-rename-<id>`. */
export const vpsOperationWorkflowId = (kind: VpsOperationKind, operationId: string) =>
  `vps-${kind.replace(/_/g, '-')}-${operationId}`;

export interface VpsOperationWorkflowInput {
  vpsId: string;
  organizationId: string;
  operationId: string;
  /** Tries of the provider call before the operation fails (default 5, from 500 ms, doubling to 10 s). */
  providerRetry?: { maximumAttempts: number; initialIntervalMs: number };
  /** How long a rebuild or resize may take at the provider before the workflow stops waiting (default 1800). */
  runningTimeoutSeconds?: number;
}

export type VpsOperationResult = { outcome: 'completed' } | { outcome: 'failed'; reason: string };

export interface BillingReconciliationWorkflowInput {
  reconciliationId: string;
}

/** One workflow per payment, started by the create route: a retried create finds the one already started. */
export const paymentWorkflowId = (paymentId: string) => `payment-${paymentId}`;

export interface PaymentWorkflowInput {
  paymentId: string;
  /** Seconds after the start before a payment neither captured nor failed expires (PAYMENT_EXPIRE_AFTER). */
  expireAfterSeconds: number;
  /** First wait before asking the provider (default DEFAULT_PAYMENT_POLL_SECONDS); each quiet wait doubles it. */
  pollSeconds?: number;
  /** The longest wait between two polls (default DEFAULT_PAYMENT_MAX_POLL_SECONDS). */
  maxPollSeconds?: number;
}

/** PAYMENT_EXPIRE_AFTER's default: 3 hours. */
export const DEFAULT_PAYMENT_EXPIRE_AFTER_SECONDS = 3 * 3600;
/** A payment is first asked about 30 s after its start, then less and less often, at least every 10 minutes. */
export const DEFAULT_PAYMENT_POLL_SECONDS = 30;
export const DEFAULT_PAYMENT_MAX_POLL_SECONDS = 600;

export interface ProvisioningWorkflowInput {
  vpsId: string;
  organizationId: string;
  /** Seconds to wait for the provider to report running before the server is marked stuck. */
  runningTimeoutSeconds: number;
  /** Billing settings handed on to the billing workflow. */
  billing: BillingSettings;
  /** Retries of a failing provider call before the step fails and compensation runs (default 5, from 500 ms). */
  providerRetry?: { maximumAttempts: number; initialIntervalMs: number };
}

export interface BillingSettings {
  /** Length of a billing period (BILLING_PERIOD_SECONDS, default 3600). */
  periodSeconds: number;
  /** After a failed charge, how long before the server is suspended (SUSPEND_GRACE_SECONDS). */
  graceSeconds: number;
  /** Billing periods per workflow run before continueAsNew (default 100; tests lower it). */
  maxPeriodsPerRun?: number;
  /** A server suspended this long is deleted by the system (SUSPENDED_DELETE_AFTER_DAYS; default 14 days). */
  suspendedDeleteAfterSeconds?: number;
  /** Deletion warnings (VpsDeletionWarning) this long before that deletion (default 7 days and 1 day). */
  suspendedDeletionWarningSeconds?: number[];
}

/** Billing periods per run before continueAsNew: ~11 history events per period keeps a run near 1,100 events. */
export const DEFAULT_MAX_PERIODS_PER_RUN = 100;

/** SUSPENDED_DELETE_AFTER_DAYS' default, 14 days. */
export const DEFAULT_SUSPENDED_DELETE_AFTER_SECONDS = 14 * 86_400;
/** Deletion warnings 7 days and 1 day before a long-suspended server is deleted. */
export const DEFAULT_SUSPENDED_DELETION_WARNING_SECONDS: readonly number[] = [7 * 86_400, 86_400];

export interface BillingWorkflowInput extends BillingSettings {
  vpsId: string;
  organizationId: string;
  hourlyPrice: MoneyString;
  /** ISO instant up to which the server is paid (end of the first hour at creation). */
  billedUntil: string;
  /** Carried across continueAsNew. */
  state?: {
    /** `attempts`: charge attempts made so far (each failed attempt has its own event ids). */
    unpaidPeriods: { periodStart: string; periodEnd: string; amount: MoneyString; attempts?: number }[];
    suspended: boolean;
    firstFailureAt: string | null;
    /** Start of the oldest unpaid period when the server was suspended (names the suspension). */
    suspendedSince?: string | null;
    /** A top-up signal not yet acted upon. */
    toppedUp?: boolean;
    /** When the current suspension was recorded (its deletion and warnings count from it). */
    suspendedAt?: string | null;
    /** Deletion warnings already recorded for the current suspension. */
    deletionWarningsSent?: number;
  };
}

/** Operator decisions for a stuck or failing provisioning (admin operations). */
export const retryProvisioningSignal = defineSignal('retryProvisioning');
export const abortProvisioningSignal = defineSignal<[{ reason: string }]>('abortProvisioning');
/** Customer deleted the server: final prorated charge, delete at the provider, end. */
export const deleteServerSignal = defineSignal<[{ requestedAt: string }]>('deleteServer');
/** The wallet was topped up: try the unpaid periods again and resume if covered. */
export const walletToppedUpSignal = defineSignal('walletToppedUp');
/**
 * The customer's return or a provider webhook moved the payment (or tried to): its workflow looks at it now
 * instead of at its next poll, and ends once the payment is settled.
 */
export const paymentChangedSignal = defineSignal('paymentChanged');

export interface ProvisioningStatus {
  vpsId: string;
  state: 'running' | 'stuck' | 'compensating' | 'failed' | 'active';
  stage: ProvisioningStage;
  attempt: number;
  lastError: string | null;
}
export const provisioningStatusQuery = defineQuery<ProvisioningStatus>('provisioningStatus');

export interface BillingStatus {
  vpsId: string;
  billedUntil: string;
  suspended: boolean;
  unpaidPeriods: number;
  periodsThisRun: number;
}
export const billingStatusQuery = defineQuery<BillingStatus>('billingStatus');

/** Custom search attributes Stratus registers on the Temporal namespace, typed for upserts and visibility queries. */
export const searchAttributes = {
  vpsId: defineSearchAttributeKey('StratusVpsId', SearchAttributeType.KEYWORD),
  organizationId: defineSearchAttributeKey('StratusOrganizationId', SearchAttributeType.KEYWORD),
  provisioningState: defineSearchAttributeKey('StratusProvisioningState', SearchAttributeType.KEYWORD),
  provisioningStage: defineSearchAttributeKey('StratusProvisioningStage', SearchAttributeType.KEYWORD),
  attempt: defineSearchAttributeKey('StratusAttempt', SearchAttributeType.INT),
  lastError: defineSearchAttributeKey('StratusLastError', SearchAttributeType.TEXT),
} as const;
export const SEARCH_ATTRIBUTE_KEYS = Object.values(searchAttributes);

/**
 * The Temporal Schedule that re-signals deletions: servers `deleting` for longer than `stuckAfterSeconds`
 * (DELETION_RESIGNAL_AFTER_SECONDS) get deleteServerSignal again, in case the API's signal was lost.
 * Created idempotently by the worker at start.
 */
export const DELETION_RESIGNAL_SCHEDULE_ID = 'stratus-deletion-resignal';
export interface DeletionResignalInput {
  stuckAfterSeconds: number;
}

/**
 * Transfer (bandwidth): the hourly measurement schedule, and the month close, once per organization and month
 * (started by the month-close schedule's workflow, or by hand with the same id: a second start finds the first).
 */
export const TRANSFER_MEASUREMENT_SCHEDULE_ID = 'stratus-transfer-measurement';
export const TRANSFER_MONTH_CLOSE_SCHEDULE_ID = 'stratus-transfer-month-close';
export const transferMonthCloseWorkflowId = (organizationId: string, month: string) =>
  `transfer-month-close-${organizationId}-${month}`;

export interface TransferMonthCloseInput {
  organizationId: string;
  /** YYYY-MM (UTC); must have ended. */
  month: string;
}

/** Absent month: the month before the workflow's start (the schedule runs early in the next month). */
export interface TransferMonthCloseAllInput {
  month?: string;
}

export interface TransferMeasurementResult {
  /** The hour recorded (ISO instant at its start). */
  hour: string;
  measured: number;
  /** Servers the provider did not answer for (measured at the next hour). */
  failed: number;
}

export interface TransferMonthCloseResult {
  month: string;
  outcome: 'charged' | 'debt' | 'nothing_owed';
  chargeId: string | null;
  usedBytes: string;
  allowanceBytes: string;
  overageBytes: string;
  pricePerGb: MoneyString;
  amount: MoneyString;
}

/** Workflow type names (the exported function names in this package). */
export const WORKFLOW_TYPES = {
  provisioning: 'provisioningWorkflow',
  billing: 'billingWorkflow',
  billingReconciliation: 'billingReconciliationWorkflow',
  deletionResignal: 'deletionResignalWorkflow',
  payment: 'paymentWorkflow',
  renameServer: 'renameServerWorkflow',
  reverseDns: 'reverseDnsWorkflow',
  // ---- backups and firewall (issue 15) ----
  snapshotServer: 'snapshotServerWorkflow',
  restoreServer: 'restoreServerWorkflow',
  serverFirewall: 'serverFirewallWorkflow',
  transferMeasurement: 'transferMeasurementWorkflow',
  transferMonthClose: 'transferMonthCloseWorkflow',
  transferMonthCloseAll: 'transferMonthCloseAllWorkflow',
  // ---- rebuild, resize, backups (issue 15) ----
  rebuildServer: 'rebuildServerWorkflow',
  resizeServer: 'resizeServerWorkflow',
  serverBackups: 'serverBackupsWorkflow',
} as const;

/** The workflow that carries out each kind of server operation. */
export const VPS_OPERATION_WORKFLOW_TYPES: Readonly<
  Record<VpsOperationKind, (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES]>
> = {
  rename: WORKFLOW_TYPES.renameServer,
  reverse_dns: WORKFLOW_TYPES.reverseDns,
  // ---- backups and firewall (issue 15) ----
  snapshot: WORKFLOW_TYPES.snapshotServer,
  restore: WORKFLOW_TYPES.restoreServer,
  firewall: WORKFLOW_TYPES.serverFirewall,
  // ---- rebuild, resize, backups (issue 15) ----
  rebuild: WORKFLOW_TYPES.rebuildServer,
  resize: WORKFLOW_TYPES.resizeServer,
  backups: WORKFLOW_TYPES.serverBackups,
};
