import { assertNever, money, type VpsEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { VpsServerEntity, type VpsServerRow } from './vps-server.entity';

export const VPS_EVENT_TYPES = [
  'VpsRequested',
  'VpsProvisioningStageChanged',
  'VpsFirstHourCharged',
  'VpsInstanceCreated',
  'VpsProvisioningStuck',
  'VpsProvisioningRetried',
  'VpsActivated',
  'VpsProvisioningFailed',
  'VpsPowerActionRequested',
  'VpsPeriodBilled',
  'VpsPeriodChargeFailed',
  'VpsSuspended',
  'VpsResumed',
  'VpsDeletionRequested',
  'VpsDeleted',
  'VpsProvisioningTerminated',
  'VpsBillingActionFailed',
  'VpsDeletionWarning',
  'VpsPowerActionFailed',
  'VpsFirstHourRefunded',
  'VpsOperationStarted',
  'VpsOperationCompleted',
  'VpsOperationFailed',
] as const satisfies readonly VpsEvent['type'][];

const laterDate = (a: Date | null, b: Date): Date => (a && a.getTime() > b.getTime() ? a : b);

export const vpsServersProjection: Projection<VpsServerRow> = {
  name: 'vps-servers',
  entity: VpsServerEntity,
  handles: VPS_EVENT_TYPES,
  keyOf: (event) => asRecorded<VpsEvent>(event).data.vpsId,
  evolve(row, recorded) {
    const event = asRecorded<VpsEvent>(recorded);
    const at = occurredAt(event);
    if (event.type === 'VpsRequested') {
      const d = event.data;
      // The encrypted root password is deliberately not copied: read models never hold it.
      return {
        id: d.vpsId,
        organizationId: d.organizationId,
        label: d.label,
        status: 'provisioning',
        planId: d.planId,
        providerPlanId: d.providerPlanId,
        region: d.region,
        image: d.image,
        backups: d.backups,
        sshKeyIds: [...d.sshKeyIds],
        hourlyPrice: money(d.hourlyPrice),
        monthlyPrice: money(d.monthlyPrice),
        workflowId: d.workflowId,
        billingWorkflowId: null,
        providerInstanceId: null,
        ipv4: null,
        provisioningStage: null,
        provisioningAttempt: 0,
        provisioningError: null,
        lastPowerAction: null,
        lastPowerActionAt: null,
        lastBilledAt: null,
        billedUntil: null,
        debt: null,
        reverseDns: null,
        operation: null,
        lastOperation: null,
        createdAt: at,
        updatedAt: at,
        deletedAt: null,
      };
    }
    // Every other event follows VpsRequested on the same stream.
    if (!row) return null;
    const next: VpsServerRow = { ...row, updatedAt: at };
    switch (event.type) {
      case 'VpsProvisioningStageChanged':
        return {
          ...next,
          provisioningStage: event.data.stage,
          provisioningAttempt: event.data.attempt,
          status: row.status === 'stuck' ? 'provisioning' : row.status,
        };
      case 'VpsFirstHourCharged':
      case 'VpsPeriodBilled':
        return {
          ...next,
          lastBilledAt: at,
          billedUntil: laterDate(row.billedUntil, new Date(event.data.periodEnd)),
        };
      case 'VpsInstanceCreated':
        return { ...next, providerInstanceId: event.data.providerInstanceId };
      case 'VpsProvisioningStuck':
        return {
          ...next,
          status: 'stuck',
          provisioningStage: event.data.stage,
          provisioningError: event.data.reason,
        };
      case 'VpsProvisioningRetried':
        return {
          ...next,
          status: 'provisioning',
          provisioningStage: event.data.stage,
          provisioningError: null,
        };
      case 'VpsActivated':
        return {
          ...next,
          status: 'active',
          providerInstanceId: event.data.providerInstanceId,
          ipv4: event.data.ipv4,
          billingWorkflowId: event.data.billingWorkflowId,
          billedUntil: laterDate(row.billedUntil, new Date(event.data.billedUntil)),
          provisioningStage: null,
          provisioningError: null,
        };
      case 'VpsProvisioningFailed':
        return {
          ...next,
          status: 'failed',
          provisioningStage: event.data.stage,
          provisioningError: event.data.reason,
        };
      case 'VpsProvisioningRetryRequested':
      case 'VpsProvisioningAbortRequested':
        return next;
      case 'VpsProvisioningTerminated':
        return { ...next, status: 'failed', provisioningError: event.data.reason };
      case 'VpsPowerActionRequested':
        return { ...next, lastPowerAction: event.data.action, lastPowerActionAt: at };
      case 'VpsBillingActionFailed':
      case 'VpsDeletionWarning':
      case 'VpsPeriodChargeFailed':
      case 'VpsPowerActionFailed': // the server's history shows it; its state is unchanged
      case 'VpsFirstHourRefunded': // the wallet's ledger shows the refund
        // The wallet ledger records the failed attempt; the server changes only when it is suspended.
        return next;
      case 'VpsSuspended':
        return { ...next, status: 'suspended', debt: money(event.data.debt) };
      case 'VpsResumed':
        return { ...next, status: 'active', debt: null };
      case 'VpsDeletionRequested':
        return { ...next, status: 'deleting' };
      case 'VpsDeleted':
        return { ...next, status: 'deleted', deletedAt: new Date(event.data.deletedAt), debt: null };
      case 'VpsOperationStarted': {
        const { operationId, workflowId, requestedAt, operation } = event.data;
        // The row never holds a root password, not even encrypted (a rebuild's is in the event only).
        const shown = operation.kind === 'rebuild' ? { ...operation, encryptedRootPassword: '' } : operation;
        return { ...next, operation: { ...shown, operationId, workflowId, requestedAt } };
      }
      case 'VpsOperationCompleted':
      case 'VpsOperationFailed': {
        const { operationId, operation } = event.data;
        const finished = {
          ...next,
          // A report for another operation than the one shown (impossible in a stream the decider wrote) keeps it.
          operation: row.operation?.operationId === operationId ? null : row.operation,
          lastOperation: {
            operationId,
            kind: operation.kind,
            outcome: event.type === 'VpsOperationCompleted' ? ('completed' as const) : ('failed' as const),
            reason: event.type === 'VpsOperationFailed' ? event.data.reason : null,
            finishedAt: at.toISOString(),
          },
        };
        if (event.type === 'VpsOperationFailed') return finished;
        switch (operation.kind) {
          case 'rename':
            return { ...finished, label: operation.label };
          case 'reverse_dns':
            return { ...finished, reverseDns: operation.hostname };
          // ---- rebuild, resize, backups (issue 15) ----
          case 'rebuild':
            return { ...finished, image: operation.image, sshKeyIds: [...operation.sshKeyIds] };
          case 'resize':
            // The price the server pays from the next billing period on.
            return {
              ...finished,
              planId: operation.planId,
              providerPlanId: operation.providerPlanId,
              hourlyPrice: money(operation.hourlyPrice),
              monthlyPrice: money(operation.monthlyPrice),
            };
          case 'backups':
            return {
              ...finished,
              backups: operation.enabled,
              hourlyPrice: money(operation.hourlyPrice),
              monthlyPrice: money(operation.monthlyPrice),
            };
          default:
            return assertNever(operation);
        }
      }
      default:
        return assertNever(event);
    }
  },
};
