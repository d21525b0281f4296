import { formatMoney, MAX_MONEY_MICROS, money } from '../money/money';
import { canonicalInstant, instantMillis } from '../catalog/pricing';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { ProvisioningStage, VpsEvent, VpsPowerAction } from './vps.events';

export const VPS_PROVISIONING_STAGES: readonly ProvisioningStage[] = [
  'charging_first_hour',
  'creating_instance',
  'waiting_for_running',
  'recording_active',
  'starting_billing',
  'compensating',
];
export const VPS_POWER_ACTIONS: readonly VpsPowerAction[] = ['boot', 'shutdown', 'reboot'];
/** Linode's label rules: 3–64 characters, starts with a letter; letters, digits, '-', '_', '.'; no '--', '__', '..'. */
export const VPS_LABEL_PATTERN = /^[a-zA-Z](?:(?!--|__|\.\.)[a-zA-Z0-9_.-]){2,63}$/;
export const MAX_VPS_SSH_KEYS = 50;
export const MAX_VPS_REASON_LENGTH = 1000;
/** Provider instance ids listed in VpsProvisioningTerminated (a server has one; more means leaks). */
export const MAX_VPS_INSTANCES_LEFT = 100;

// ---- commands ----
// Customer commands (RequestVps, RequestPowerAction, RequestDeletion) are authorized by the API; the decider
// checks state and data only. The others come from the provisioning and billing workflows (actor 'system').

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
    encryptedRootPassword: string;
    hourlyPrice: bigint;
    monthlyPrice: bigint;
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
  { providerInstanceId: string; ipv4: string; billingWorkflowId: string; billedUntil: string }
>;
export type FailProvisioning = Command<
  'FailProvisioning',
  { stage: ProvisioningStage; reason: string; instanceDeleted: boolean; refunded: boolean }
>;
export type RequestPowerAction = Command<'RequestPowerAction', { action: VpsPowerAction }>;
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
  | RecordPeriodBilled
  | RecordPeriodChargeFailed
  | SuspendVps
  | ResumeVps
  | RequestDeletion
  | MarkDeleted
  | RequestProvisioningRetry
  | RequestProvisioningAbort
  | TerminateProvisioning;

// ---- state ----

/** Everything a server carries once requested. O(1) in the length of its history. */
export interface VpsDetails {
  vpsId: string;
  organizationId: string;
  label: string;
  planId: string;
  providerPlanId: string;
  region: string;
  image: string;
  backups: boolean;
  sshKeyIds: string[];
  hourlyPrice: bigint;
  monthlyPrice: bigint;
  encryptedRootPassword: string;
  idempotencyKey: string;
  workflowId: string;
  /** Last recorded provisioning stage; attempt 0 until the workflow records one. */
  stage: ProvisioningStage;
  attempt: number;
  providerInstanceId: string | null;
  ipv4: string | null;
  /** Latest charge ids (not a history: the wallet's deterministic event ids give idempotency). */
  chargeIds: {
    firstHour: string | null;
    lastPeriod: string | null;
    lastFailed: string | null;
    final: string | null;
  };
  /** Paid up to (exclusive) this instant: end of the latest charged period. */
  billedUntil: string | null;
  /** Start of the latest charged period (the read model's lastBilledAt is the time it was recorded). */
  lastBilledAt: string | null;
  /** Debt when suspended, else null. */
  debt: bigint | null;
  failureReason: string | null;
  billingWorkflowId: string | null;
  /** True once VpsActivated: deletion then goes through the billing workflow, not compensation. */
  activated: boolean;
  deletedAt: string | null;
}

export type NoVps = { status: 'none' };
export type ProvisioningVps = VpsDetails & { status: 'provisioning' };
export type StuckVps = VpsDetails & { status: 'stuck' };
export type ActiveVps = VpsDetails & { status: 'active' };
export type SuspendedVps = VpsDetails & { status: 'suspended' };
export type DeletingVps = VpsDetails & { status: 'deleting' };
export type DeletedVps = VpsDetails & { status: 'deleted' };
export type FailedVps = VpsDetails & { status: 'failed' };
export type VpsState =
  NoVps | ProvisioningVps | StuckVps | ActiveVps | SuspendedVps | DeletingVps | DeletedVps | FailedVps;
export type ExistingVpsState = Exclude<VpsState, NoVps>;
export type VpsStatus = VpsState['status'];

// ---- validation ----

function invalid(reason: string, field: string, message: string): DomainError {
  return new DomainError('validation', reason, message, { field });
}

export function requireVpsLabel(value: unknown): string {
  if (typeof value !== 'string' || !VPS_LABEL_PATTERN.test(value)) {
    throw invalid(
      'invalid_label',
      'label',
      'label must be 3 to 64 characters, start with a letter, use only letters, digits, "-", "_" and "." and have no "--", "__" or ".."',
    );
  }
  return value;
}

function requireStage(value: unknown): ProvisioningStage {
  if (typeof value !== 'string' || !(VPS_PROVISIONING_STAGES as readonly string[]).includes(value)) {
    throw invalid('invalid_stage', 'stage', `stage must be one of ${VPS_PROVISIONING_STAGES.join(', ')}`);
  }
  return value as ProvisioningStage;
}

function requireAttempt(value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid('invalid_attempt', 'attempt', 'attempt must be a positive integer');
  }
  return value;
}

function requireBoolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`invalid_${field}`, field, `${field} must be a boolean`);
  return value;
}

/** bigint micros in [min, MAX_MONEY_MICROS]. */
function requireMicros(value: unknown, field: string, min: bigint): bigint {
  if (typeof value !== 'bigint' || value < min || value > MAX_MONEY_MICROS) {
    throw new DomainError(
      'validation',
      'invalid_amount',
      `${field} must be a bigint of micro-dollars of at least ${formatMoney(min)}`,
      { field },
    );
  }
  return value;
}

const requireReason = (value: unknown) =>
  requireText(value, 'reason', 'invalid_reason', MAX_VPS_REASON_LENGTH);

function requireIpv4(value: unknown): string {
  const valid =
    typeof value === 'string' &&
    /^\d{1,3}(\.\d{1,3}){3}$/.test(value) &&
    value.split('.').every((octet) => Number(octet) <= 255);
  if (!valid) throw invalid('invalid_ipv4', 'ipv4', 'ipv4 must be a dotted IPv4 address');
  return value as string;
}

function requireSshKeyIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_VPS_SSH_KEYS) {
    throw invalid('invalid_ssh_key_ids', 'sshKeyIds', `sshKeyIds must be at most ${MAX_VPS_SSH_KEYS} ids`);
  }
  const ids = value.map((id) => requireId(id, 'sshKeyIds'));
  if (new Set(ids).size !== ids.length) {
    throw invalid('invalid_ssh_key_ids', 'sshKeyIds', 'sshKeyIds must not repeat an id');
  }
  return ids;
}

function requireInstanceIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_VPS_INSTANCES_LEFT) {
    throw invalid(
      'invalid_instances_left',
      'instancesLeft',
      `instancesLeft must be a list of at most ${MAX_VPS_INSTANCES_LEFT} provider instance ids`,
    );
  }
  return [...new Set(value.map((id) => requireId(id, 'instancesLeft')))];
}

interface ChargeData {
  chargeId: string;
  amount: bigint;
  periodStart: string;
  periodEnd: string;
}

/** A charged period: positive amount, canonical instants, start before end. */
function requireCharge(data: ChargeData): {
  chargeId: string;
  amount: bigint;
  periodStart: string;
  periodEnd: string;
} {
  const chargeId = requireId(data.chargeId, 'chargeId');
  const amount = requireMicros(data.amount, 'amount', 1n);
  const periodStart = canonicalInstant(data.periodStart, 'periodStart');
  const periodEnd = canonicalInstant(data.periodEnd, 'periodEnd');
  if (Date.parse(periodEnd) <= Date.parse(periodStart)) {
    throw invalid('invalid_period', 'periodEnd', 'periodEnd must be after periodStart');
  }
  return { chargeId, amount, periodStart, periodEnd };
}

// ---- state checks ----

function requireExisting(state: VpsState): ExistingVpsState {
  if (state.status === 'none') throw new DomainError('not_found', 'vps_not_found', 'Server not found');
  return state;
}

function conflict(reason: string, message: string, state: ExistingVpsState): DomainError {
  return new DomainError('conflict', reason, message, { vpsId: state.vpsId, status: state.status });
}

const notProvisioning = (state: ExistingVpsState) =>
  conflict('vps_not_provisioning', `The server is ${state.status}, not provisioning`, state);
const notActive = (state: ExistingVpsState) =>
  conflict('vps_not_active', `The server is ${state.status}, not active`, state);

/** True when `periodEnd` is already covered by what was billed. */
function alreadyBilled(state: ExistingVpsState, periodEnd: string): boolean {
  return state.billedUntil !== null && Date.parse(periodEnd) <= Date.parse(state.billedUntil);
}

// ---- decider ----

export function initialVpsState(): VpsState {
  return { status: 'none' };
}

export function decideVps(command: VpsCommand, state: VpsState): VpsEvent[] {
  switch (command.type) {
    case 'RequestVps': {
      const d = command.data;
      const vpsId = requireId(d.vpsId, 'vpsId');
      const data = {
        vpsId,
        organizationId: requireId(d.organizationId, 'organizationId'),
        label: requireVpsLabel(d.label),
        planId: requireId(d.planId, 'planId'),
        providerPlanId: requireId(d.providerPlanId, 'providerPlanId', 100),
        region: requireId(d.region, 'region', 100),
        image: requireId(d.image, 'image', 200),
        backups: requireBoolean(d.backups, 'backups'),
        sshKeyIds: requireSshKeyIds(d.sshKeyIds),
        encryptedRootPassword: requireId(d.encryptedRootPassword, 'encryptedRootPassword', 8192),
        hourlyPrice: formatMoney(requireMicros(d.hourlyPrice, 'hourlyPrice', 1n)),
        monthlyPrice: formatMoney(requireMicros(d.monthlyPrice, 'monthlyPrice', 1n)),
        idempotencyKey: requireId(d.idempotencyKey, 'idempotencyKey', 1000),
        workflowId: requireId(d.workflowId, 'workflowId'),
      };
      if (state.status !== 'none') {
        throw conflict('vps_already_exists', 'This server already exists', state);
      }
      return [{ type: 'VpsRequested', data }];
    }
    case 'RecordProvisioningStage': {
      const vps = requireExisting(state);
      const stage = requireStage(command.data.stage);
      const attempt = requireAttempt(command.data.attempt);
      if (vps.stage === stage && vps.attempt === attempt) return [];
      switch (vps.status) {
        case 'provisioning':
        case 'stuck':
        case 'deleting':
        case 'active': // 'starting_billing' comes after activation
        case 'suspended':
          return [{ type: 'VpsProvisioningStageChanged', data: { vpsId: vps.vpsId, stage, attempt } }];
        case 'failed':
        case 'deleted':
          return []; // a late write from a finished workflow changes nothing
        default:
          return assertNever(vps);
      }
    }
    case 'RecordFirstHourCharged': {
      const vps = requireExisting(state);
      const charge = requireCharge(command.data);
      if (vps.chargeIds.firstHour === charge.chargeId) return [];
      if (vps.chargeIds.firstHour !== null) {
        throw conflict('first_hour_already_charged', 'The first hour was charged with another charge', vps);
      }
      switch (vps.status) {
        case 'provisioning':
        case 'stuck':
        case 'deleting':
          return [
            {
              type: 'VpsFirstHourCharged',
              data: {
                vpsId: vps.vpsId,
                chargeId: charge.chargeId,
                amount: formatMoney(charge.amount),
                periodStart: charge.periodStart,
                periodEnd: charge.periodEnd,
              },
            },
          ];
        case 'active':
        case 'suspended':
        case 'failed':
        case 'deleted':
          throw notProvisioning(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RecordInstanceCreated': {
      const vps = requireExisting(state);
      const providerInstanceId = requireId(command.data.providerInstanceId, 'providerInstanceId');
      if (vps.providerInstanceId === providerInstanceId) return [];
      if (vps.providerInstanceId !== null) {
        throw conflict(
          'instance_already_recorded',
          `The server already has the provider instance ${vps.providerInstanceId}`,
          vps,
        );
      }
      // Recorded whatever the status: an instance that exists must be known, if only to delete it.
      return [{ type: 'VpsInstanceCreated', data: { vpsId: vps.vpsId, providerInstanceId } }];
    }
    case 'MarkProvisioningStuck': {
      const vps = requireExisting(state);
      const stage = requireStage(command.data.stage);
      const reason = requireReason(command.data.reason);
      switch (vps.status) {
        case 'provisioning':
          return [{ type: 'VpsProvisioningStuck', data: { vpsId: vps.vpsId, stage, reason } }];
        case 'stuck':
        case 'deleting': // the deletion decides what happens next
          return [];
        case 'active':
        case 'suspended':
        case 'failed':
        case 'deleted':
          throw notProvisioning(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RetryProvisioning': {
      const vps = requireExisting(state);
      const stage = requireStage(command.data.stage);
      switch (vps.status) {
        case 'stuck':
          return [{ type: 'VpsProvisioningRetried', data: { vpsId: vps.vpsId, stage } }];
        case 'provisioning':
          return [];
        case 'active':
        case 'suspended':
        case 'deleting':
        case 'failed':
        case 'deleted':
          throw conflict('vps_not_stuck', `The server is ${vps.status}, not stuck`, vps);
        default:
          return assertNever(vps);
      }
    }
    case 'ActivateVps': {
      const vps = requireExisting(state);
      const providerInstanceId = requireId(command.data.providerInstanceId, 'providerInstanceId');
      const ipv4 = requireIpv4(command.data.ipv4);
      const billingWorkflowId = requireId(command.data.billingWorkflowId, 'billingWorkflowId');
      const billedUntil = canonicalInstant(command.data.billedUntil, 'billedUntil');
      const otherInstance = vps.providerInstanceId !== null && vps.providerInstanceId !== providerInstanceId;
      switch (vps.status) {
        case 'provisioning':
        case 'stuck':
          if (otherInstance) {
            throw conflict('instance_mismatch', `The server's instance is ${vps.providerInstanceId}`, vps);
          }
          return [
            {
              type: 'VpsActivated',
              data: { vpsId: vps.vpsId, providerInstanceId, ipv4, billingWorkflowId, billedUntil },
            },
          ];
        case 'active':
        case 'suspended':
          if (otherInstance) {
            throw conflict('instance_mismatch', `The server's instance is ${vps.providerInstanceId}`, vps);
          }
          return [];
        case 'deleting':
          if (vps.activated && !otherInstance) return [];
          throw conflict('vps_deletion_requested', 'The customer asked to delete this server', vps);
        case 'failed':
          throw conflict('vps_failed', 'The server failed to provision', vps);
        case 'deleted':
          throw conflict('vps_deleted', 'The server was deleted', vps);
        default:
          return assertNever(vps);
      }
    }
    case 'FailProvisioning': {
      const vps = requireExisting(state);
      const stage = requireStage(command.data.stage);
      const reason = requireReason(command.data.reason);
      const instanceDeleted = requireBoolean(command.data.instanceDeleted, 'instanceDeleted');
      const refunded = requireBoolean(command.data.refunded, 'refunded');
      const failed: VpsEvent[] = [
        {
          type: 'VpsProvisioningFailed',
          data: { vpsId: vps.vpsId, stage, reason, instanceDeleted, refunded },
        },
      ];
      switch (vps.status) {
        case 'provisioning':
        case 'stuck':
          return failed;
        case 'deleting':
          if (!vps.activated) return failed;
          throw conflict('vps_active', 'The server was activated: it is deleted, not failed', vps);
        case 'failed':
          return [];
        case 'active':
        case 'suspended':
          throw conflict('vps_active', 'The server is already active', vps);
        case 'deleted':
          throw conflict('vps_deleted', 'The server was deleted', vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RequestPowerAction': {
      const vps = requireExisting(state);
      const action = command.data.action;
      if (!(VPS_POWER_ACTIONS as readonly string[]).includes(action)) {
        throw invalid('invalid_action', 'action', `action must be one of ${VPS_POWER_ACTIONS.join(', ')}`);
      }
      switch (vps.status) {
        case 'active':
          return [{ type: 'VpsPowerActionRequested', data: { vpsId: vps.vpsId, action } }];
        case 'suspended':
          throw conflict('vps_suspended', 'The server is suspended until the wallet is topped up', vps);
        case 'provisioning':
        case 'stuck':
        case 'deleting':
        case 'deleted':
        case 'failed':
          throw notActive(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RecordPeriodBilled': {
      const vps = requireExisting(state);
      const charge = requireCharge(command.data);
      if (vps.chargeIds.lastPeriod === charge.chargeId || alreadyBilled(vps, charge.periodEnd)) return [];
      switch (vps.status) {
        case 'active':
        case 'suspended':
        case 'deleting':
          return [
            {
              type: 'VpsPeriodBilled',
              data: {
                vpsId: vps.vpsId,
                chargeId: charge.chargeId,
                amount: formatMoney(charge.amount),
                periodStart: charge.periodStart,
                periodEnd: charge.periodEnd,
              },
            },
          ];
        case 'provisioning':
        case 'stuck':
        case 'deleted':
        case 'failed':
          throw notActive(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RecordPeriodChargeFailed': {
      const vps = requireExisting(state);
      const charge = requireCharge(command.data);
      if (vps.chargeIds.lastFailed === charge.chargeId || alreadyBilled(vps, charge.periodEnd)) return [];
      switch (vps.status) {
        case 'active':
        case 'suspended':
        case 'deleting':
          return [
            {
              type: 'VpsPeriodChargeFailed',
              data: {
                vpsId: vps.vpsId,
                chargeId: charge.chargeId,
                amount: formatMoney(charge.amount),
                periodStart: charge.periodStart,
                periodEnd: charge.periodEnd,
              },
            },
          ];
        case 'provisioning':
        case 'stuck':
        case 'deleted':
        case 'failed':
          throw notActive(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'SuspendVps': {
      const vps = requireExisting(state);
      const debt = requireMicros(command.data.debt, 'debt', 0n);
      switch (vps.status) {
        case 'active':
          return [
            {
              type: 'VpsSuspended',
              data: { vpsId: vps.vpsId, reason: 'insufficient_funds', debt: formatMoney(debt) },
            },
          ];
        case 'suspended':
          return [];
        case 'provisioning':
        case 'stuck':
        case 'deleting':
        case 'deleted':
        case 'failed':
          throw notActive(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'ResumeVps': {
      const vps = requireExisting(state);
      switch (vps.status) {
        case 'suspended':
          return [{ type: 'VpsResumed', data: { vpsId: vps.vpsId } }];
        case 'active':
          return [];
        case 'provisioning':
        case 'stuck':
        case 'deleting':
        case 'deleted':
        case 'failed':
          throw conflict('vps_not_suspended', `The server is ${vps.status}, not suspended`, vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RequestDeletion': {
      const vps = requireExisting(state);
      switch (vps.status) {
        case 'provisioning':
        case 'stuck':
        case 'active':
        case 'suspended':
          return [{ type: 'VpsDeletionRequested', data: { vpsId: vps.vpsId } }];
        case 'deleting':
        case 'deleted':
          return [];
        case 'failed':
          throw conflict('vps_failed', 'The server failed to provision; there is nothing to delete', vps);
        default:
          return assertNever(vps);
      }
    }
    case 'MarkDeleted': {
      const vps = requireExisting(state);
      const finalCharge = requireMicros(command.data.finalCharge, 'finalCharge', 0n);
      const finalChargeId =
        command.data.finalChargeId === null ? null : requireId(command.data.finalChargeId, 'finalChargeId');
      if (finalCharge > 0n && finalChargeId === null) {
        throw invalid('final_charge_id_required', 'finalChargeId', 'A final charge needs its chargeId');
      }
      const deletedAt = canonicalInstant(command.data.deletedAt, 'deletedAt');
      switch (vps.status) {
        case 'deleting':
          return [
            {
              type: 'VpsDeleted',
              data: { vpsId: vps.vpsId, finalChargeId, finalCharge: formatMoney(finalCharge), deletedAt },
            },
          ];
        case 'deleted':
          return [];
        case 'provisioning':
        case 'stuck':
        case 'active':
        case 'suspended':
        case 'failed':
          throw conflict('vps_deletion_not_requested', 'Deletion of this server was not requested', vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RequestProvisioningRetry': {
      const vps = requireExisting(state);
      const reason = requireReason(command.data.reason);
      switch (vps.status) {
        case 'stuck':
          return [{ type: 'VpsProvisioningRetryRequested', data: { vpsId: vps.vpsId, reason } }];
        case 'provisioning':
        case 'active':
        case 'suspended':
        case 'deleting':
        case 'failed':
        case 'deleted':
          throw conflict(
            'vps_not_stuck',
            `The server is ${vps.status}, not stuck: only a stuck provisioning can be retried`,
            vps,
          );
        default:
          return assertNever(vps);
      }
    }
    case 'RequestProvisioningAbort': {
      const vps = requireExisting(state);
      const reason = requireReason(command.data.reason);
      switch (vps.status) {
        case 'provisioning':
        case 'stuck':
          return [{ type: 'VpsProvisioningAbortRequested', data: { vpsId: vps.vpsId, reason } }];
        case 'deleting':
          throw conflict(
            'vps_deletion_requested',
            'The customer asked to delete this server: its provisioning is already being undone',
            vps,
          );
        case 'active':
        case 'suspended':
        case 'failed':
        case 'deleted':
          throw conflict(
            'vps_not_provisioning',
            `The server is ${vps.status}: only a provisioning or stuck server can be aborted`,
            vps,
          );
        default:
          return assertNever(vps);
      }
    }
    case 'TerminateProvisioning': {
      const vps = requireExisting(state);
      const reason = requireReason(command.data.reason);
      const refunded = requireBoolean(command.data.refunded, 'refunded');
      const instancesLeft = requireInstanceIds(command.data.instancesLeft);
      const terminated: VpsEvent[] = [
        { type: 'VpsProvisioningTerminated', data: { vpsId: vps.vpsId, reason, refunded, instancesLeft } },
      ];
      switch (vps.status) {
        case 'provisioning':
        case 'stuck':
          return terminated;
        case 'deleting':
          // Before activation the provisioning workflow still owns the server; after it, billing does.
          if (!vps.activated) return terminated;
          throw conflict(
            'vps_active',
            'The server was activated: its deletion belongs to billing, not provisioning',
            vps,
          );
        case 'active':
        case 'suspended':
        case 'failed':
        case 'deleted':
          throw conflict(
            'vps_not_provisioning',
            `The server is ${vps.status}: only a provisioning, stuck or deleting-before-activation server can be terminated`,
            vps,
          );
        default:
          return assertNever(vps);
      }
    }
    default:
      return assertNever(command);
  }
}

const later = (current: string | null, candidate: string): string =>
  current !== null && instantMillis(current) >= instantMillis(candidate) ? current : candidate;

export function evolveVps(state: VpsState, event: VpsEvent): VpsState {
  if (event.type === 'VpsRequested') {
    const d = event.data;
    return {
      status: 'provisioning',
      vpsId: d.vpsId,
      organizationId: d.organizationId,
      label: d.label,
      planId: d.planId,
      providerPlanId: d.providerPlanId,
      region: d.region,
      image: d.image,
      backups: d.backups,
      sshKeyIds: [...d.sshKeyIds],
      hourlyPrice: money(d.hourlyPrice),
      monthlyPrice: money(d.monthlyPrice),
      encryptedRootPassword: d.encryptedRootPassword,
      idempotencyKey: d.idempotencyKey,
      workflowId: d.workflowId,
      stage: 'charging_first_hour',
      attempt: 0,
      providerInstanceId: null,
      ipv4: null,
      chargeIds: { firstHour: null, lastPeriod: null, lastFailed: null, final: null },
      billedUntil: null,
      lastBilledAt: null,
      debt: null,
      failureReason: null,
      billingWorkflowId: null,
      activated: false,
      deletedAt: null,
    };
  }
  // Every other event follows VpsRequested on the same stream.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'VpsProvisioningStageChanged':
      // As in the read model: recording a stage of a stuck server means it is moving again.
      return {
        ...state,
        status: state.status === 'stuck' ? 'provisioning' : state.status,
        stage: event.data.stage,
        attempt: event.data.attempt,
      };
    case 'VpsFirstHourCharged':
      return {
        ...state,
        chargeIds: { ...state.chargeIds, firstHour: event.data.chargeId },
        billedUntil: later(state.billedUntil, event.data.periodEnd),
        lastBilledAt: event.data.periodStart,
      };
    case 'VpsInstanceCreated':
      return { ...state, providerInstanceId: event.data.providerInstanceId };
    case 'VpsProvisioningStuck':
      return { ...state, status: 'stuck', stage: event.data.stage, failureReason: event.data.reason };
    case 'VpsProvisioningRetried':
      return { ...state, status: 'provisioning', stage: event.data.stage, failureReason: null };
    case 'VpsActivated':
      return {
        ...state,
        status: 'active',
        activated: true,
        providerInstanceId: event.data.providerInstanceId,
        ipv4: event.data.ipv4,
        billingWorkflowId: event.data.billingWorkflowId,
        billedUntil: later(state.billedUntil, event.data.billedUntil),
        failureReason: null,
      };
    case 'VpsProvisioningFailed':
      return { ...state, status: 'failed', stage: event.data.stage, failureReason: event.data.reason };
    case 'VpsPowerActionRequested':
    case 'VpsProvisioningRetryRequested':
    case 'VpsProvisioningAbortRequested':
      return state;
    case 'VpsProvisioningTerminated':
      return { ...state, status: 'failed', failureReason: event.data.reason };
    case 'VpsPeriodBilled':
      return {
        ...state,
        chargeIds: { ...state.chargeIds, lastPeriod: event.data.chargeId },
        billedUntil: later(state.billedUntil, event.data.periodEnd),
        lastBilledAt: event.data.periodStart,
      };
    case 'VpsPeriodChargeFailed':
      return { ...state, chargeIds: { ...state.chargeIds, lastFailed: event.data.chargeId } };
    case 'VpsSuspended':
      return { ...state, status: 'suspended', debt: money(event.data.debt) };
    case 'VpsResumed':
      return { ...state, status: 'active', debt: null };
    case 'VpsDeletionRequested':
      return { ...state, status: 'deleting' };
    case 'VpsDeleted':
      return {
        ...state,
        status: 'deleted',
        chargeIds: { ...state.chargeIds, final: event.data.finalChargeId },
        deletedAt: event.data.deletedAt,
        debt: null,
      };
    default:
      return assertNever(event);
  }
}

export const vpsDecider: Decider<VpsState, VpsCommand, VpsEvent> = {
  decide: decideVps,
  evolve: evolveVps,
  initialState: initialVpsState,
};
