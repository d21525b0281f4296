import type { DomainEvent } from '../shared/decider';
import type { MoneyString } from '../money/money';

/** Stages of the provisioning saga, recorded as events and in Temporal search attributes. */
export type ProvisioningStage =
  | 'charging_first_hour'
  | 'creating_instance'
  | 'waiting_for_running'
  | 'recording_active'
  | 'starting_billing'
  | 'compensating';

export type VpsPowerAction = 'boot' | 'shutdown' | 'reboot';

/** Stream `vps-<vpsId>`. */
export type VpsRequested = DomainEvent<
  'VpsRequested',
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
    /**
     * The authorized_keys lines of `sshKeyIds` as they were when requested (what the instance is created with);
     * absent in events recorded before keys were sent to the provider.
     */
    authorizedKeys?: string[];
    /** AES-256-GCM ciphertext (base64 "iv.tag.data"); never returned by the API, redacted in audit views. */
    encryptedRootPassword: string;
    /**
     * Price at creation. A resize or a backups toggle changes it from the next billing period on
     * (VpsOperationCompleted; BillingFacts.priceChanges); a staff change to the plan never reprices the server.
     */
    hourlyPrice: MoneyString;
    monthlyPrice: MoneyString;
    /** The monthly backup upcharge included in monthlyPrice (absent in older events and without backups). */
    backupUpcharge?: MoneyString;
    idempotencyKey: string;
    workflowId: string;
  }
>;
export type VpsProvisioningStageChanged = DomainEvent<
  'VpsProvisioningStageChanged',
  { vpsId: string; stage: ProvisioningStage; attempt: number }
>;
/** The first hour was charged to the wallet (chargeId "vps-<id>:<periodStart>"). */
export type VpsFirstHourCharged = DomainEvent<
  'VpsFirstHourCharged',
  { vpsId: string; chargeId: string; amount: MoneyString; periodStart: string; periodEnd: string }
>;
export type VpsInstanceCreated = DomainEvent<
  'VpsInstanceCreated',
  { vpsId: string; providerInstanceId: string }
>;
/** The provider never reached running in time: the workflow waits for an operator's retry or abort. */
export type VpsProvisioningStuck = DomainEvent<
  'VpsProvisioningStuck',
  { vpsId: string; stage: ProvisioningStage; reason: string }
>;
export type VpsProvisioningRetried = DomainEvent<
  'VpsProvisioningRetried',
  { vpsId: string; stage: ProvisioningStage }
>;
export type VpsActivated = DomainEvent<
  'VpsActivated',
  {
    vpsId: string;
    providerInstanceId: string;
    ipv4: string;
    billingWorkflowId: string;
    /** Where period billing starts: the later of the first hour's end and activatedAt (older events: the first hour's end). */
    billedUntil: string;
    /** When the server became active (absent in older events: their occurredAt). */
    activatedAt?: string;
  }
>;
/** Compensations ran (instance deleted, first hour refunded) and the server is failed for good. */
export type VpsProvisioningFailed = DomainEvent<
  'VpsProvisioningFailed',
  { vpsId: string; stage: ProvisioningStage; reason: string; instanceDeleted: boolean; refunded: boolean }
>;
export type VpsPowerActionRequested = DomainEvent<
  'VpsPowerActionRequested',
  { vpsId: string; action: VpsPowerAction }
>;
/**
 * The provider refused or failed a power action the customer requested (VpsPowerActionRequested comes first);
 * the server's state is unchanged.
 */
export type VpsPowerActionFailed = DomainEvent<
  'VpsPowerActionFailed',
  { vpsId: string; action: VpsPowerAction; reason: string }
>;
/** A billing period was charged (chargeId "vps-<id>:<periodStart>"). */
export type VpsPeriodBilled = DomainEvent<
  'VpsPeriodBilled',
  { vpsId: string; chargeId: string; amount: MoneyString; periodStart: string; periodEnd: string }
>;
export type VpsPeriodChargeFailed = DomainEvent<
  'VpsPeriodChargeFailed',
  { vpsId: string; chargeId: string; amount: MoneyString; periodStart: string; periodEnd: string }
>;
export type VpsSuspended = DomainEvent<
  'VpsSuspended',
  { vpsId: string; reason: 'insufficient_funds'; debt: MoneyString }
>;
export type VpsResumed = DomainEvent<'VpsResumed', { vpsId: string }>;
export type VpsDeletionRequested = DomainEvent<'VpsDeletionRequested', { vpsId: string }>;
/**
 * A billing action at the provider (shutdown for a suspension, boot for a resumption) failed for good; the
 * billing workflow tries again at the next period boundary. `attempt` names the try (one event per try).
 */
export type VpsBillingActionFailed = DomainEvent<
  'VpsBillingActionFailed',
  { vpsId: string; action: 'suspend' | 'resume'; reason: string; attempt: string }
>;
/** A long-suspended server will be deleted by the system at `deleteAt` unless the wallet is topped up. */
export type VpsDeletionWarning = DomainEvent<'VpsDeletionWarning', { vpsId: string; deleteAt: string }>;
export type VpsDeleted = DomainEvent<
  'VpsDeleted',
  { vpsId: string; finalChargeId: string | null; finalCharge: MoneyString; deletedAt: string }
>;

/**
 * Operator actions on a provisioning (admin operations). Each records the staff member's request with
 * its actor before the workflow is signalled, so the audit trail shows who unstuck what, and why.
 */
export type VpsProvisioningRetryRequested = DomainEvent<
  'VpsProvisioningRetryRequested',
  { vpsId: string; reason: string }
>;
export type VpsProvisioningAbortRequested = DomainEvent<
  'VpsProvisioningAbortRequested',
  { vpsId: string; reason: string }
>;
/**
 * Last resort: the provisioning workflow was terminated by staff (no compensation ran in it). The server is
 * failed; the first hour was refunded when it had been charged; `instancesLeft` are provider instances
 * still tagged with the server after the termination (to clean up by hand, or by a later abort).
 */
export type VpsProvisioningTerminated = DomainEvent<
  'VpsProvisioningTerminated',
  { vpsId: string; reason: string; refunded: boolean; instancesLeft: string[] }
>;

/**
 * Staff refunded the first hour of a failed server (its compensation had not: the charge committed and its
 * activity failed, or the workflow was lost). The wallet's WalletChargeRefunded carries the same actor.
 */
export type VpsFirstHourRefunded = DomainEvent<
  'VpsFirstHourRefunded',
  { vpsId: string; chargeId: string; amount: MoneyString; reason: string }
>;

/**
 * An operation on a server: what was asked (its effect applies when it completes; `previous*` is what it
 * replaces). Each kind runs as its own Temporal workflow (`workflowId`).
 */
export type VpsOperationSpec =
  | { kind: 'rename'; label: string; previousLabel: string }
  | { kind: 'reverse_dns'; ipv4: string; hostname: string | null; previousHostname: string | null }
  // ---- rebuild, resize, backups (issue 15) ----
  | {
      kind: 'rebuild';
      image: string;
      previousImage: string;
      /** The organization's keys installed as root's authorized_keys (their lines as they were when asked). */
      sshKeyIds: string[];
      authorizedKeys: string[];
      /** AES-256-GCM ciphertext of the new root password (redacted in audit views, never returned). */
      encryptedRootPassword: string;
      /** 'keys': the customer gave no password, so a strong one was generated (the provider requires one). */
      rootLogin: 'password' | 'keys';
    }
  | {
      kind: 'resize';
      planId: string;
      providerPlanId: string;
      /** The new plan's price (with the server's backup upcharge when backups are on), from the next period on. */
      hourlyPrice: MoneyString;
      monthlyPrice: MoneyString;
      previousPlanId: string;
      previousProviderPlanId: string;
      previousHourlyPrice: MoneyString;
      previousMonthlyPrice: MoneyString;
      /** The monthly backup upcharge included in monthlyPrice (0 without backups). */
      backupUpcharge: MoneyString;
    }
  | {
      kind: 'backups';
      enabled: boolean;
      /** The server's price with the upcharge added (enabled) or removed, from the next period on. */
      hourlyPrice: MoneyString;
      monthlyPrice: MoneyString;
      previousHourlyPrice: MoneyString;
      previousMonthlyPrice: MoneyString;
      /** The monthly upcharge added or removed. */
      backupUpcharge: MoneyString;
    };
export type VpsOperationKind = VpsOperationSpec['kind'];

/** A customer asked for an operation on an active server; its workflow carries it out. */
export type VpsOperationStarted = DomainEvent<
  'VpsOperationStarted',
  {
    vpsId: string;
    operationId: string;
    workflowId: string;
    requestedAt: string;
    operation: VpsOperationSpec;
  }
>;
/** The operation's workflow finished it: its effect (new label, reverse DNS) is now true. */
export type VpsOperationCompleted = DomainEvent<
  'VpsOperationCompleted',
  { vpsId: string; operationId: string; operation: VpsOperationSpec }
>;
/** The operation's workflow gave up (the provider refused, or kept failing): nothing changed. */
export type VpsOperationFailed = DomainEvent<
  'VpsOperationFailed',
  { vpsId: string; operationId: string; operation: VpsOperationSpec; reason: string }
>;

export type VpsEvent =
  | VpsRequested
  | VpsProvisioningStageChanged
  | VpsFirstHourCharged
  | VpsInstanceCreated
  | VpsProvisioningStuck
  | VpsProvisioningRetried
  | VpsActivated
  | VpsProvisioningFailed
  | VpsPowerActionRequested
  | VpsPowerActionFailed
  | VpsPeriodBilled
  | VpsPeriodChargeFailed
  | VpsSuspended
  | VpsResumed
  | VpsDeletionRequested
  | VpsBillingActionFailed
  | VpsDeletionWarning
  | VpsDeleted
  | VpsProvisioningRetryRequested
  | VpsProvisioningAbortRequested
  | VpsProvisioningTerminated
  | VpsFirstHourRefunded
  | VpsOperationStarted
  | VpsOperationCompleted
  | VpsOperationFailed;
