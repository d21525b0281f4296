import type { Command } from '../shared/decider';
import type { ProvisioningStage, VpsPowerAction } from './vps.events';

// ---- commands ----
// Customer commands (RequestVps, RequestPowerAction, RequestDeletion, RequestRename, RequestReverseDns) are
// authorized by the API; the decider checks state and data only. The others come from the provisioning, billing
// and operation workflows (actor 'system').

export type RequestVps = Command<
  'RequestVps',
  {
    vpsId: string;
    organizationId: string;
    label: string;
    planId: string;
    providerPlanId: string;
    region: string;
    image: string;
    backups: boolean;
    sshKeyIds: string[];
    /** The authorized_keys lines of sshKeyIds (read from the organization's keys by the caller). */
    authorizedKeys: string[];
    encryptedRootPassword: string;
    hourlyPrice: bigint;
    monthlyPrice: bigint;
    /** The monthly backup upcharge included in monthlyPrice (0 without backups). */
    backupUpcharge?: bigint;
    idempotencyKey: string;
    workflowId: string;
  }
>;
/** The same stage and attempt again records nothing. */
export type RecordProvisioningStage = Command<
  'RecordProvisioningStage',
  { stage: ProvisioningStage; attempt: number }
>;
/** Idempotent on chargeId. */
export type RecordFirstHourCharged = Command<
  'RecordFirstHourCharged',
  { chargeId: string; amount: bigint; periodStart: string; periodEnd: string }
>;
/** Idempotent for the same id; another id than the recorded one is a conflict. */
export type RecordInstanceCreated = Command<'RecordInstanceCreated', { providerInstanceId: string }>;
export type MarkProvisioningStuck = Command<
  'MarkProvisioningStuck',
  { stage: ProvisioningStage; reason: string }
>;
export type RetryProvisioning = Command<'RetryProvisioning', { stage: ProvisioningStage }>;
export type ActivateVps = Command<
  'ActivateVps',
  {
    providerInstanceId: string;
    ipv4: string;
    billingWorkflowId: string;
    billedUntil: string;
    activatedAt?: string;
  }
>;
export type FailProvisioning = Command<
  'FailProvisioning',
  { stage: ProvisioningStage; reason: string; instanceDeleted: boolean; refunded: boolean }
>;
export type RequestPowerAction = Command<'RequestPowerAction', { action: VpsPowerAction }>;
/** The provider call of a requested power action failed (recorded by the API after the request). */
export type RecordPowerActionFailed = Command<
  'RecordPowerActionFailed',
  { action: VpsPowerAction; reason: string }
>;
/** Idempotent: a period ending at or before billedUntil (or the last chargeId again) records nothing. */
export type RecordPeriodBilled = Command<
  'RecordPeriodBilled',
  { chargeId: string; amount: bigint; periodStart: string; periodEnd: string }
>;
export type RecordPeriodChargeFailed = Command<
  'RecordPeriodChargeFailed',
  { chargeId: string; amount: bigint; periodStart: string; periodEnd: string }
>;
export type SuspendVps = Command<'SuspendVps', { debt: bigint }>;
export type ResumeVps = Command<'ResumeVps', Record<string, never>>;
export type RequestDeletion = Command<'RequestDeletion', Record<string, never>>;
/** Idempotent per (action, attempt) through the caller's event ids; recorded while the server is billed. */
export type RecordBillingActionFailed = Command<
  'RecordBillingActionFailed',
  { action: 'suspend' | 'resume'; reason: string; attempt: string }
>;
/** Only while suspended: the system will delete the server at `deleteAt`. */
export type WarnDeletion = Command<'WarnDeletion', { deleteAt: string }>;
export type MarkDeleted = Command<
  'MarkDeleted',
  { finalChargeId: string | null; finalCharge: bigint; deletedAt: string }
>;

/**
 * Operator actions on a provisioning (platform admins; the actor is in the metadata). Retry and abort record
 * the request before the workflow is signalled; terminate records what was done after the workflow was
 * terminated by force (refund, instances still at the provider).
 */
export type RequestProvisioningRetry = Command<'RequestProvisioningRetry', { reason: string }>;
export type RequestProvisioningAbort = Command<'RequestProvisioningAbort', { reason: string }>;
export type TerminateProvisioning = Command<
  'TerminateProvisioning',
  { reason: string; refunded: boolean; instancesLeft: string[] }
>;

/** Staff refund the recorded first-hour charge of a failed server (once: the caller's idempotency key). */
export type RefundFirstHour = Command<
  'RefundFirstHour',
  { chargeId: string; amount: bigint; reason: string }
>;

/**
 * Operations on an active server (customers; the API authorizes vps_manage). The caller names the operation and
 * the workflow that will carry it out; the same request while it runs records nothing (the caller starts its
 * workflow again, which Temporal deduplicates), any other operation meanwhile is a conflict.
 */
export type RequestRename = Command<
  'RequestRename',
  { operationId: string; workflowId: string; label: string }
>;
/** `hostname` null: back to the provider's default reverse DNS. */
export type RequestReverseDns = Command<
  'RequestReverseDns',
  { operationId: string; workflowId: string; ipv4: string; hostname: string | null }
>;
// ---- rebuild, resize, backups (issue 15) ----
/**
 * A new image with a new root password and authorized keys. The caller reads the keys from the organization's
 * (their lines), encrypts the password (the customer's, or a generated one when `rootLogin` is 'keys') and checks
 * the image is offered.
 */
export type RequestRebuild = Command<
  'RequestRebuild',
  {
    operationId: string;
    workflowId: string;
    image: string;
    sshKeyIds: string[];
    authorizedKeys: string[];
    encryptedRootPassword: string;
    rootLogin: 'password' | 'keys';
  }
>;
/**
 * Another plan (the caller checks it is active and offered in the server's region, as on creation). `diskMb` is
 * the provider's disk of the new plan, `currentDiskMb` of the server's: a smaller disk is refused.
 */
export type RequestResize = Command<
  'RequestResize',
  {
    operationId: string;
    workflowId: string;
    plan: {
      planId: string;
      providerPlanId: string;
      baseMonthlyPrice: bigint;
      markup: bigint;
      backupUpcharge: bigint;
      diskMb: number;
    };
    currentDiskMb: number;
  }
>;
/**
 * Backups on or off. `planBackupUpcharge` is the server's plan's monthly upcharge now: what enabling adds (and
 * what disabling removes from a server whose recorded upcharge is unknown).
 */
export type RequestBackups = Command<
  'RequestBackups',
  { operationId: string; workflowId: string; enabled: boolean; planBackupUpcharge: bigint }
>;

/** The operation's workflow reports its end (a report for an operation no longer in progress records nothing). */
export type CompleteOperation = Command<'CompleteOperation', { operationId: string }>;
export type FailOperation = Command<'FailOperation', { operationId: string; reason: string }>;

export type VpsCommand =
  | RequestVps
  | RecordProvisioningStage
  | RecordFirstHourCharged
  | RecordInstanceCreated
  | MarkProvisioningStuck
  | RetryProvisioning
  | ActivateVps
  | FailProvisioning
  | RequestPowerAction
  | RecordPowerActionFailed
  | RecordPeriodBilled
  | RecordPeriodChargeFailed
  | SuspendVps
  | ResumeVps
  | RequestDeletion
  | RecordBillingActionFailed
  | WarnDeletion
  | MarkDeleted
  | RequestProvisioningRetry
  | RequestProvisioningAbort
  | TerminateProvisioning
  | RefundFirstHour
  | RequestRename
  | RequestReverseDns
  | RequestRebuild
  | RequestResize
  | RequestBackups
  | CompleteOperation
  | FailOperation;
