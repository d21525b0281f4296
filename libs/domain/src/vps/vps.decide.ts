import { formatMoney } from '../money/money';
import {
  canonicalInstant,
  divideHalfUp,
  HOURS_PER_MONTH,
  hourlyPriceOf,
  monthlyPriceOf,
} from '../catalog/pricing';
import { assertNever, DomainError } from '../shared/decider';
import { requireId } from '../shared/validation';
import type { VpsCommand } from './vps.commands';
import type { VpsEvent, VpsOperationSpec } from './vps.events';
import {
  holdsOperations,
  publicVpsStatus,
  type ActiveVps,
  type ExistingVpsState,
  type VpsOperation,
  type VpsState,
} from './vps.state';
import {
  invalid,
  requireAttempt,
  requireAuthorizedKeys,
  requireHostname,
  requireBoolean,
  requireCharge,
  requireDiskMb,
  requireInstanceIds,
  requireRootLogin,
  requireIpv4,
  requireMicros,
  requirePowerAction,
  requireReason,
  requireSshKeyIds,
  requireStage,
  requireVpsLabel,
} from './vps.validation';

// ---- state checks ----

function requireExisting(state: VpsState): ExistingVpsState {
  if (state.status === 'none') throw new DomainError('not_found', 'vps_not_found', 'Server not found');
  return state;
}

function conflict(reason: string, message: string, state: ExistingVpsState): DomainError {
  return new DomainError('conflict', reason, message, {
    vpsId: state.vpsId,
    status: publicVpsStatus(state),
  });
}

const notProvisioning = (state: ExistingVpsState) =>
  conflict('vps_not_provisioning', `The server is ${publicVpsStatus(state)}, not provisioning`, state);
const notActive = (state: ExistingVpsState) =>
  conflict('vps_not_active', `The server is ${publicVpsStatus(state)}, not active`, state);

/** The same request: kind and what was asked (not what it replaces). */
function sameOperation(running: VpsOperation, asked: VpsOperationSpec): boolean {
  switch (asked.kind) {
    case 'rename':
      return running.kind === 'rename' && running.label === asked.label;
    case 'reverse_dns':
      return (
        running.kind === 'reverse_dns' && running.ipv4 === asked.ipv4 && running.hostname === asked.hostname
      );
    // ---- rebuild, resize, backups (issue 15) ----
    case 'rebuild':
      // Not the password (each request is encrypted anew): the image, keys and login say it is the same request.
      return (
        running.kind === 'rebuild' &&
        running.image === asked.image &&
        running.sshKeyIds.join(',') === asked.sshKeyIds.join(',') &&
        running.rootLogin === asked.rootLogin
      );
    case 'resize':
      return running.kind === 'resize' && running.planId === asked.planId;
    case 'backups':
      return running.kind === 'backups' && running.enabled === asked.enabled;
    default:
      return assertNever(asked);
  }
}

/**
 * An operation on an active server: refused for any other status (a suspended server waits for money, one
 * being deleted or not yet provisioned has nothing to operate on), and while another operation runs. The same
 * request again while it runs records nothing: the caller learns the running one from the state.
 */
function startOperation(
  state: VpsState,
  ids: { operationId: unknown; workflowId: unknown },
  now: string,
  spec: (vps: ActiveVps) => VpsOperationSpec,
): VpsEvent[] {
  const vps = requireExisting(state);
  const operationId = requireId(ids.operationId, 'operationId');
  const workflowId = requireId(ids.workflowId, 'workflowId');
  switch (vps.status) {
    case 'active': {
      const operation = spec(vps);
      if (vps.operation !== null) {
        if (sameOperation(vps.operation, operation)) return [];
        throw new DomainError(
          'conflict',
          'operation_in_progress',
          `A ${vps.operation.kind.replace('_', ' ')} is in progress on this server; try again when it has finished`,
          {
            vpsId: vps.vpsId,
            status: publicVpsStatus(vps),
            operationId: vps.operation.operationId,
            operation: vps.operation.kind,
          },
        );
      }
      return [
        {
          type: 'VpsOperationStarted',
          data: { vpsId: vps.vpsId, operationId, workflowId, requestedAt: now, operation },
        },
      ];
    }
    case 'suspended':
      throw conflict('vps_suspended', 'The server is suspended until the wallet is topped up', vps);
    case 'provisioning':
    case 'stuck':
    case 'deleting':
    case 'cancelling':
    case 'deleted':
    case 'failed':
      throw notActive(vps);
    default:
      return assertNever(vps);
  }
}

/** The operation's workflow reports its end; a report for one no longer in progress (a repeat) records nothing. */
function finishOperation(
  state: VpsState,
  operationId: unknown,
  finished: (vpsId: string, operationId: string, operation: VpsOperationSpec) => VpsEvent,
): VpsEvent[] {
  const vps = requireExisting(state);
  const id = requireId(operationId, 'operationId');
  if (!holdsOperations(vps) || vps.operation?.operationId !== id) return [];
  const { operationId: _id, workflowId: _workflow, requestedAt: _at, ...operation } = vps.operation;
  return [finished(vps.vpsId, id, operation as VpsOperationSpec)];
}

/** True when `periodEnd` is already covered by what was billed. */
function alreadyBilled(state: ExistingVpsState, periodEnd: string): boolean {
  return state.billedUntil !== null && Date.parse(periodEnd) <= Date.parse(state.billedUntil);
}

export function decideVps(command: VpsCommand, state: VpsState): VpsEvent[] {
  switch (command.type) {
    case 'RequestVps': {
      const d = command.data;
      const vpsId = requireId(d.vpsId, 'vpsId');
      const sshKeyIds = requireSshKeyIds(d.sshKeyIds);
      const data = {
        vpsId,
        organizationId: requireId(d.organizationId, 'organizationId'),
        label: requireVpsLabel(d.label),
        planId: requireId(d.planId, 'planId'),
        providerPlanId: requireId(d.providerPlanId, 'providerPlanId', 100),
        region: requireId(d.region, 'region', 100),
        image: requireId(d.image, 'image', 200),
        backups: requireBoolean(d.backups, 'backups'),
        sshKeyIds,
        authorizedKeys: requireAuthorizedKeys(d.authorizedKeys, sshKeyIds),
        encryptedRootPassword: requireId(d.encryptedRootPassword, 'encryptedRootPassword', 8192),
        hourlyPrice: formatMoney(requireMicros(d.hourlyPrice, 'hourlyPrice', 1n)),
        monthlyPrice: formatMoney(requireMicros(d.monthlyPrice, 'monthlyPrice', 1n)),
        ...(d.backupUpcharge === undefined
          ? {}
          : { backupUpcharge: formatMoney(requireMicros(d.backupUpcharge, 'backupUpcharge', 0n)) }),
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
        case 'cancelling':
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
        case 'cancelling':
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
        case 'cancelling':
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
        case 'cancelling':
        case 'failed':
        case 'deleted':
          throw conflict('vps_not_stuck', `The server is ${publicVpsStatus(vps)}, not stuck`, vps);
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
      const activatedAt =
        command.data.activatedAt === undefined
          ? {}
          : { activatedAt: canonicalInstant(command.data.activatedAt, 'activatedAt') };
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
              data: {
                vpsId: vps.vpsId,
                providerInstanceId,
                ipv4,
                billingWorkflowId,
                billedUntil,
                ...activatedAt,
              },
            },
          ];
        case 'active':
        case 'suspended':
          if (otherInstance) {
            throw conflict('instance_mismatch', `The server's instance is ${vps.providerInstanceId}`, vps);
          }
          return [];
        case 'deleting':
          if (!otherInstance) return [];
          throw conflict('vps_deletion_requested', 'The customer asked to delete this server', vps);
        case 'cancelling':
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
        case 'cancelling':
          return failed;
        case 'deleting':
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
      const action = requirePowerAction(command.data.action);
      switch (vps.status) {
        case 'active':
          return [{ type: 'VpsPowerActionRequested', data: { vpsId: vps.vpsId, action } }];
        case 'suspended':
          throw conflict('vps_suspended', 'The server is suspended until the wallet is topped up', vps);
        case 'provisioning':
        case 'stuck':
        case 'deleting':
        case 'cancelling':
        case 'deleted':
        case 'failed':
          throw notActive(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RecordPowerActionFailed': {
      const vps = requireExisting(state);
      const action = requirePowerAction(command.data.action);
      const reason = requireReason(command.data.reason);
      switch (vps.status) {
        // The request was recorded while active; a suspension or deletion may have landed since.
        case 'active':
        case 'suspended':
        case 'deleting':
          return [{ type: 'VpsPowerActionFailed', data: { vpsId: vps.vpsId, action, reason } }];
        case 'provisioning':
        case 'stuck':
        case 'cancelling':
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
        case 'cancelling':
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
        case 'cancelling':
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
        // Deletion requested: the billing workflow deletes the server; a suspension then changes nothing.
        case 'deleting':
        case 'cancelling':
        case 'deleted':
          return [];
        case 'provisioning':
        case 'stuck':
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
        // Deletion requested: nothing to resume (a top-up racing the deletion must not fail the billing).
        case 'deleting':
        case 'cancelling':
        case 'deleted':
          return [];
        case 'provisioning':
        case 'stuck':
        case 'failed':
          throw conflict('vps_not_suspended', `The server is ${publicVpsStatus(vps)}, not suspended`, vps);
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
        case 'cancelling':
        case 'deleted':
          return [];
        case 'failed':
          // Deleted while provisioning, then compensated: the deletion was requested, nothing more to do.
          if (vps.deletionRequested) return [];
          throw conflict('vps_failed', 'The server failed to provision; there is nothing to delete', vps);
        default:
          return assertNever(vps);
      }
    }
    case 'RecordBillingActionFailed': {
      const vps = requireExisting(state);
      const { action } = command.data;
      if (action !== 'suspend' && action !== 'resume') {
        throw invalid('invalid_billing_action', 'action', 'action must be suspend or resume');
      }
      const reason = requireReason(command.data.reason);
      const attempt = requireId(command.data.attempt, 'attempt');
      switch (vps.status) {
        case 'active':
        case 'suspended':
        case 'deleting':
          return [{ type: 'VpsBillingActionFailed', data: { vpsId: vps.vpsId, action, reason, attempt } }];
        case 'provisioning':
        case 'stuck':
        case 'cancelling':
        case 'deleted':
        case 'failed':
          throw notActive(vps);
        default:
          return assertNever(vps);
      }
    }
    case 'WarnDeletion': {
      const vps = requireExisting(state);
      const deleteAt = canonicalInstant(command.data.deleteAt, 'deleteAt');
      switch (vps.status) {
        case 'suspended':
          return [{ type: 'VpsDeletionWarning', data: { vpsId: vps.vpsId, deleteAt } }];
        case 'active':
        case 'deleting':
        case 'cancelling':
        case 'deleted':
          return []; // resumed or already being deleted: nothing to warn about
        case 'provisioning':
        case 'stuck':
        case 'failed':
          throw conflict('vps_not_suspended', `The server is ${publicVpsStatus(vps)}, not suspended`, vps);
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
        case 'cancelling':
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
          // Requested again before the workflow retried: recorded once (the caller signals again).
          if (vps.retryRequested) return [];
          return [{ type: 'VpsProvisioningRetryRequested', data: { vpsId: vps.vpsId, reason } }];
        case 'provisioning':
        case 'active':
        case 'suspended':
        case 'deleting':
        case 'cancelling':
        case 'failed':
        case 'deleted':
          throw conflict(
            'vps_not_stuck',
            `The server is ${publicVpsStatus(vps)}, not stuck: only a stuck provisioning can be retried`,
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
          // An abort is final: one already requested is recorded once (the caller signals again).
          if (vps.abortRequested) return [];
          return [{ type: 'VpsProvisioningAbortRequested', data: { vpsId: vps.vpsId, reason } }];
        case 'deleting':
        case 'cancelling':
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
            `The server is ${publicVpsStatus(vps)}: only a provisioning or stuck server can be aborted`,
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
        case 'cancelling': // before activation the provisioning workflow owns the server; after it, billing
          return terminated;
        case 'deleting':
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
            `The server is ${publicVpsStatus(vps)}: only a provisioning, stuck or deleting-before-activation server can be terminated`,
            vps,
          );
        default:
          return assertNever(vps);
      }
    }
    case 'RefundFirstHour': {
      const vps = requireExisting(state);
      const chargeId = requireId(command.data.chargeId, 'chargeId');
      const amount = requireMicros(command.data.amount, 'amount', 1n);
      const reason = requireReason(command.data.reason);
      switch (vps.status) {
        case 'failed':
          return [
            {
              type: 'VpsFirstHourRefunded',
              data: { vpsId: vps.vpsId, chargeId, amount: formatMoney(amount), reason },
            },
          ];
        case 'provisioning':
        case 'stuck':
        case 'cancelling':
        case 'active':
        case 'suspended':
        case 'deleting':
        case 'deleted':
          throw conflict(
            'vps_not_failed',
            `The server is ${publicVpsStatus(vps)}: only a failed server's first hour can be refunded by staff`,
            vps,
          );
        default:
          return assertNever(vps);
      }
    }
    case 'RequestRename': {
      const label = requireVpsLabel(command.data.label);
      return startOperation(state, command.data, command.metadata.now, (vps) => ({
        kind: 'rename',
        label,
        previousLabel: vps.label,
      }));
    }
    case 'RequestReverseDns': {
      const ipv4 = requireIpv4(command.data.ipv4);
      const hostname = command.data.hostname === null ? null : requireHostname(command.data.hostname);
      return startOperation(state, command.data, command.metadata.now, (vps) => {
        if (vps.ipv4 !== ipv4) {
          throw invalid('not_server_address', 'ipv4', `${ipv4} is not this server's address (${vps.ipv4})`);
        }
        return { kind: 'reverse_dns', ipv4, hostname, previousHostname: vps.reverseDns };
      });
    }
    // ---- rebuild, resize, backups (issue 15) ----
    case 'RequestRebuild': {
      const d = command.data;
      const image = requireId(d.image, 'image', 200);
      const sshKeyIds = requireSshKeyIds(d.sshKeyIds);
      const authorizedKeys = requireAuthorizedKeys(d.authorizedKeys, sshKeyIds);
      const encryptedRootPassword = requireId(d.encryptedRootPassword, 'encryptedRootPassword', 8192);
      const rootLogin = requireRootLogin(d.rootLogin);
      if (rootLogin === 'keys' && sshKeyIds.length === 0) {
        // A generated password nobody knows and no key: root could never log in.
        throw invalid('no_root_login', 'sshKeyIds', 'Give a root password or at least one SSH key');
      }
      return startOperation(state, d, command.metadata.now, (vps) => ({
        kind: 'rebuild',
        image,
        previousImage: vps.image,
        sshKeyIds,
        authorizedKeys,
        encryptedRootPassword,
        rootLogin,
      }));
    }
    case 'RequestResize': {
      const { plan } = command.data;
      const planId = requireId(plan.planId, 'planId');
      const providerPlanId = requireId(plan.providerPlanId, 'providerPlanId', 100);
      const prices = {
        baseMonthlyPrice: requireMicros(plan.baseMonthlyPrice, 'baseMonthlyPrice', 0n),
        markup: requireMicros(plan.markup, 'markup', 0n),
        backupUpcharge: requireMicros(plan.backupUpcharge, 'backupUpcharge', 0n),
      };
      const diskMb = requireDiskMb(plan.diskMb, 'diskMb');
      const currentDiskMb = requireDiskMb(command.data.currentDiskMb, 'currentDiskMb');
      return startOperation(state, command.data, command.metadata.now, (vps) => {
        if (planId === vps.planId) {
          throw invalid('same_plan', 'planId', 'The server is already on this plan');
        }
        if (diskMb < currentDiskMb) {
          // Linode cannot shrink a disk below the data on it; Stratus does not look inside the server.
          throw invalid(
            'disk_too_small',
            'planId',
            `The plan's disk (${diskMb} MB) is smaller than the server's (${currentDiskMb} MB)`,
          );
        }
        // The new plan at its current catalog price, with its backup upcharge when backups are on.
        return {
          kind: 'resize',
          planId,
          providerPlanId,
          hourlyPrice: formatMoney(hourlyPriceOf(prices, vps.backups)),
          monthlyPrice: formatMoney(monthlyPriceOf(prices, vps.backups)),
          previousPlanId: vps.planId,
          previousProviderPlanId: vps.providerPlanId,
          previousHourlyPrice: formatMoney(vps.hourlyPrice),
          previousMonthlyPrice: formatMoney(vps.monthlyPrice),
          backupUpcharge: formatMoney(vps.backups ? prices.backupUpcharge : 0n),
        };
      });
    }
    case 'RequestBackups': {
      const enabled = requireBoolean(command.data.enabled, 'enabled');
      const planUpcharge = requireMicros(command.data.planBackupUpcharge, 'planBackupUpcharge', 0n);
      return startOperation(state, command.data, command.metadata.now, (vps) => {
        if (vps.backups === enabled) {
          throw conflict(
            enabled ? 'backups_already_enabled' : 'backups_not_enabled',
            enabled ? 'Backups are already enabled on this server' : 'Backups are not enabled on this server',
            vps,
          );
        }
        // The server keeps its own price; only the upcharge moves: the plan's current one is added, and the one
        // the server pays (recorded when added) is removed. A staff change to the plan reprices no server.
        const upcharge = enabled
          ? planUpcharge
          : (vps.backupUpcharge ?? (planUpcharge < vps.monthlyPrice ? planUpcharge : 0n));
        const monthly = enabled ? vps.monthlyPrice + upcharge : vps.monthlyPrice - upcharge;
        return {
          kind: 'backups',
          enabled,
          hourlyPrice: formatMoney(divideHalfUp(monthly, HOURS_PER_MONTH)),
          monthlyPrice: formatMoney(monthly),
          previousHourlyPrice: formatMoney(vps.hourlyPrice),
          previousMonthlyPrice: formatMoney(vps.monthlyPrice),
          backupUpcharge: formatMoney(upcharge),
        };
      });
    }
    case 'CompleteOperation':
      return finishOperation(state, command.data.operationId, (vpsId, operationId, operation) => ({
        type: 'VpsOperationCompleted',
        data: { vpsId, operationId, operation },
      }));
    case 'FailOperation': {
      const reason = requireReason(command.data.reason);
      return finishOperation(state, command.data.operationId, (vpsId, operationId, operation) => ({
        type: 'VpsOperationFailed',
        data: { vpsId, operationId, operation, reason },
      }));
    }
    default:
      return assertNever(command);
  }
}
