import { money } from '../money/money';
import { instantMillis } from '../catalog/pricing';
import { assertNever } from '../shared/decider';
import type { ProvisioningStage, VpsEvent, VpsOperationSpec } from './vps.events';

/** Everything a server carries in every state once requested. O(1) in the length of its history. */
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
  /** The authorized_keys lines the instance is created with (empty for servers requested before keys were sent). */
  authorizedKeys: string[];
  /** The current price (a resize or a backups toggle changes it; billing applies it from the next period). */
  hourlyPrice: bigint;
  monthlyPrice: bigint;
  /**
   * The monthly backup upcharge included in monthlyPrice: 0 without backups, null when unknown (servers created
   * with backups before it was recorded). Disabling backups removes this amount, not the plan's current one.
   */
  backupUpcharge: bigint | null;
  encryptedRootPassword: string;
  idempotencyKey: string;
  workflowId: string;
  /** Last recorded provisioning stage; attempt 0 until the workflow records one. */
  stage: ProvisioningStage;
  attempt: number;
  /** Latest charge ids (not a history: the wallet's deterministic event ids give idempotency). */
  chargeIds: { firstHour: string | null; lastPeriod: string | null; lastFailed: string | null };
  /** Paid up to (exclusive) this instant: end of the latest charged period. */
  billedUntil: string | null;
  /** Start of the latest charged period (the read model's lastBilledAt is the time it was recorded). */
  lastBilledAt: string | null;
}

/** Never activated: the provisioning workflow owns the server; its instance may not exist yet. */
interface BeforeActivation {
  providerInstanceId: string | null;
}

/**
 * An operation in progress (VpsOperationStarted, until its workflow reports it completed or failed). One at a
 * time: operations change the instance, and two of them at once could leave it in neither's result.
 */
export type VpsOperation = VpsOperationSpec & {
  operationId: string;
  workflowId: string;
  requestedAt: string;
};

/** Activated (VpsActivated): the billing workflow owns the server, which has an instance and an address. */
interface Activated {
  providerInstanceId: string;
  ipv4: string;
  billingWorkflowId: string;
  /** The reverse DNS set for ipv4 through Stratus; null: the provider's default. */
  reverseDns: string | null;
  operation: VpsOperation | null;
}

export type NoVps = { status: 'none' };
export type ProvisioningVps = VpsDetails &
  BeforeActivation & {
    status: 'provisioning';
    /** An operator asked to abort (final: the workflow compensates). */
    abortRequested: boolean;
  };
export type StuckVps = VpsDetails &
  BeforeActivation & {
    status: 'stuck';
    failureReason: string;
    /** An operator asked to retry since the server became stuck. */
    retryRequested: boolean;
    abortRequested: boolean;
  };
export type ActiveVps = VpsDetails & Activated & { status: 'active' };
export type SuspendedVps = VpsDetails & Activated & { status: 'suspended'; debt: bigint };
/** Deletion requested after activation: the billing workflow charges the last period and deletes. */
export type DeletingVps = VpsDetails & Activated & { status: 'deleting' };
/** Deletion requested before activation: the provisioning workflow undoes what it did (compensation). */
export type CancellingVps = VpsDetails & BeforeActivation & { status: 'cancelling' };
export type DeletedVps = VpsDetails & {
  status: 'deleted';
  /** The instance it had, if any (deleted at the provider). */
  providerInstanceId: string | null;
  finalChargeId: string | null;
  deletedAt: string;
  /** An operation still running when the server was deleted: its workflow reports how it ended. */
  operation: VpsOperation | null;
};
export type FailedVps = VpsDetails &
  BeforeActivation & {
    status: 'failed';
    failureReason: string;
    /** The customer had asked to delete it (a cancelled provisioning ends failed). */
    deletionRequested: boolean;
  };
export type VpsState =
  | NoVps
  | ProvisioningVps
  | StuckVps
  | ActiveVps
  | SuspendedVps
  | DeletingVps
  | CancellingVps
  | DeletedVps
  | FailedVps;
export type ExistingVpsState = Exclude<VpsState, NoVps>;
export type VpsStatus = VpsState['status'];
/** The status the read model and the API show: a cancelled provisioning is 'deleting' there too. */
export type PublicVpsStatus = Exclude<VpsStatus, 'none' | 'cancelling'>;

export function publicVpsStatus(state: ExistingVpsState): PublicVpsStatus {
  return state.status === 'cancelling' ? 'deleting' : state.status;
}

export function initialVpsState(): VpsState {
  return { status: 'none' };
}

const later = (current: string | null, candidate: string): string =>
  current !== null && instantMillis(current) >= instantMillis(candidate) ? current : candidate;

/** The fields every state carries, out of any state (to move into another variant). */
function detailsOf(state: ExistingVpsState): VpsDetails {
  const { vpsId, organizationId, label, planId, providerPlanId, region, image, backups, sshKeyIds } = state;
  const { authorizedKeys } = state;
  const {
    hourlyPrice,
    monthlyPrice,
    backupUpcharge,
    encryptedRootPassword,
    idempotencyKey,
    workflowId,
    stage,
  } = state;
  const { attempt, chargeIds, billedUntil, lastBilledAt } = state;
  return {
    vpsId,
    organizationId,
    label,
    planId,
    providerPlanId,
    region,
    image,
    backups,
    sshKeyIds,
    authorizedKeys,
    hourlyPrice,
    monthlyPrice,
    backupUpcharge,
    encryptedRootPassword,
    idempotencyKey,
    workflowId,
    stage,
    attempt,
    chargeIds,
    billedUntil,
    lastBilledAt,
  };
}

/** The states an operation can be in progress in: activated ones, and deleted (until its workflow reports). */
export type VpsWithOperations = ActiveVps | SuspendedVps | DeletingVps | DeletedVps;

export function holdsOperations(state: VpsState): state is VpsWithOperations {
  return (
    state.status === 'active' ||
    state.status === 'suspended' ||
    state.status === 'deleting' ||
    state.status === 'deleted'
  );
}

/**
 * Events only ever follow what the decider allows; an event a state cannot take (impossible in a stream the
 * decider wrote) leaves it unchanged.
 */
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
      authorizedKeys: [...(d.authorizedKeys ?? [])],
      hourlyPrice: money(d.hourlyPrice),
      monthlyPrice: money(d.monthlyPrice),
      backupUpcharge: d.backupUpcharge !== undefined ? money(d.backupUpcharge) : d.backups ? null : 0n,
      encryptedRootPassword: d.encryptedRootPassword,
      idempotencyKey: d.idempotencyKey,
      workflowId: d.workflowId,
      stage: 'charging_first_hour',
      attempt: 0,
      chargeIds: { firstHour: null, lastPeriod: null, lastFailed: null },
      billedUntil: null,
      lastBilledAt: null,
      providerInstanceId: null,
      abortRequested: false,
    };
  }
  // Every other event follows VpsRequested on the same stream.
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'VpsProvisioningStageChanged': {
      const moved = { stage: event.data.stage, attempt: event.data.attempt };
      // As in the read model: recording a stage of a stuck server means it is moving again.
      if (state.status === 'stuck') {
        return {
          ...detailsOf(state),
          ...moved,
          status: 'provisioning',
          providerInstanceId: state.providerInstanceId,
          abortRequested: state.abortRequested,
        };
      }
      return { ...state, ...moved };
    }
    case 'VpsFirstHourCharged':
      return {
        ...state,
        chargeIds: { ...state.chargeIds, firstHour: event.data.chargeId },
        billedUntil: later(state.billedUntil, event.data.periodEnd),
        lastBilledAt: event.data.periodStart,
      };
    case 'VpsInstanceCreated':
      // After activation the instance is the activated one (the decider refuses another id).
      if (state.status === 'active' || state.status === 'suspended' || state.status === 'deleting')
        return state;
      return { ...state, providerInstanceId: event.data.providerInstanceId };
    case 'VpsProvisioningStuck':
      if (state.status !== 'provisioning' && state.status !== 'stuck') return state;
      return {
        ...detailsOf(state),
        status: 'stuck',
        stage: event.data.stage,
        failureReason: event.data.reason,
        providerInstanceId: state.providerInstanceId,
        retryRequested: false,
        abortRequested: state.abortRequested,
      };
    case 'VpsProvisioningRetried':
      if (state.status !== 'stuck') return state;
      return {
        ...detailsOf(state),
        status: 'provisioning',
        stage: event.data.stage,
        providerInstanceId: state.providerInstanceId,
        abortRequested: state.abortRequested,
      };
    case 'VpsActivated':
      if (state.status !== 'provisioning' && state.status !== 'stuck') return state;
      return {
        ...detailsOf(state),
        status: 'active',
        providerInstanceId: event.data.providerInstanceId,
        ipv4: event.data.ipv4,
        billingWorkflowId: event.data.billingWorkflowId,
        billedUntil: later(state.billedUntil, event.data.billedUntil),
        reverseDns: null,
        operation: null,
      };
    case 'VpsProvisioningFailed':
    case 'VpsProvisioningTerminated':
      if (state.status !== 'provisioning' && state.status !== 'stuck' && state.status !== 'cancelling') {
        return state;
      }
      return {
        ...detailsOf(state),
        status: 'failed',
        stage: event.type === 'VpsProvisioningFailed' ? event.data.stage : state.stage,
        failureReason: event.data.reason,
        providerInstanceId: state.providerInstanceId,
        deletionRequested: state.status === 'cancelling',
      };
    case 'VpsProvisioningAbortRequested':
      if (state.status !== 'provisioning' && state.status !== 'stuck') return state;
      return { ...state, abortRequested: true };
    case 'VpsProvisioningRetryRequested':
      if (state.status !== 'stuck') return state;
      return { ...state, retryRequested: true };
    case 'VpsPowerActionRequested':
    case 'VpsPowerActionFailed':
    case 'VpsFirstHourRefunded':
    case 'VpsBillingActionFailed':
    case 'VpsDeletionWarning':
      return state;
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
      if (state.status !== 'active') return state;
      return { ...state, status: 'suspended', debt: money(event.data.debt) };
    case 'VpsResumed': {
      if (state.status !== 'suspended') return state;
      const { debt: _paid, ...active } = state;
      return { ...active, status: 'active' };
    }
    case 'VpsDeletionRequested':
      switch (state.status) {
        case 'provisioning':
        case 'stuck':
          return {
            ...detailsOf(state),
            status: 'cancelling',
            providerInstanceId: state.providerInstanceId,
          };
        case 'active':
        case 'suspended':
          return {
            ...detailsOf(state),
            status: 'deleting',
            providerInstanceId: state.providerInstanceId,
            ipv4: state.ipv4,
            billingWorkflowId: state.billingWorkflowId,
            reverseDns: state.reverseDns,
            operation: state.operation,
          };
        case 'deleting':
        case 'cancelling':
        case 'deleted':
        case 'failed':
          return state;
        default:
          return assertNever(state);
      }
    case 'VpsDeleted':
      if (state.status !== 'deleting' && state.status !== 'cancelling') return state;
      return {
        ...detailsOf(state),
        status: 'deleted',
        providerInstanceId: state.providerInstanceId,
        finalChargeId: event.data.finalChargeId,
        deletedAt: event.data.deletedAt,
        operation: state.status === 'deleting' ? state.operation : null,
      };
    case 'VpsOperationStarted': {
      if (!holdsOperations(state)) return state;
      const { operationId, workflowId, requestedAt, operation } = event.data;
      return { ...state, operation: { ...operation, operationId, workflowId, requestedAt } };
    }
    case 'VpsOperationCompleted': {
      if (!holdsOperations(state) || state.operation?.operationId !== event.data.operationId) return state;
      const done = { ...state, operation: null };
      const operation = event.data.operation;
      switch (operation.kind) {
        case 'rename':
          return { ...done, label: operation.label };
        case 'reverse_dns':
          return done.status === 'deleted' ? done : { ...done, reverseDns: operation.hostname };
        // ---- rebuild, resize, backups (issue 15) ----
        case 'rebuild':
          return {
            ...done,
            image: operation.image,
            sshKeyIds: [...operation.sshKeyIds],
            authorizedKeys: [...operation.authorizedKeys],
            encryptedRootPassword: operation.encryptedRootPassword,
          };
        case 'resize':
          return {
            ...done,
            planId: operation.planId,
            providerPlanId: operation.providerPlanId,
            hourlyPrice: money(operation.hourlyPrice),
            monthlyPrice: money(operation.monthlyPrice),
            backupUpcharge: money(operation.backupUpcharge),
          };
        case 'backups':
          return {
            ...done,
            backups: operation.enabled,
            hourlyPrice: money(operation.hourlyPrice),
            monthlyPrice: money(operation.monthlyPrice),
            backupUpcharge: operation.enabled ? money(operation.backupUpcharge) : 0n,
          };
        default:
          return assertNever(operation);
      }
    }
    case 'VpsOperationFailed':
      if (!holdsOperations(state) || state.operation?.operationId !== event.data.operationId) return state;
      return { ...state, operation: null };
    default:
      return assertNever(event);
  }
}
