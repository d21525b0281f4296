import { assertNever, formatMoney, type VpsOperation } from '@stratus/domain';
import type { VpsLastOperation, VpsServerRow } from '@stratus/projections';
import type { VpsDetailDto, VpsLastOperationDto, VpsOperationDto, VpsSummaryDto } from './vps.dto';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function vpsSummaryView(row: VpsServerRow): VpsSummaryDto {
  return {
    id: row.id,
    label: row.label,
    status: row.status,
    planId: row.planId,
    region: row.region,
    image: row.image,
    ipv4: row.ipv4,
    hourlyPrice: formatMoney(row.hourlyPrice),
    monthlyPrice: formatMoney(row.monthlyPrice),
    createdAt: row.createdAt.toISOString(),
  };
}

export function vpsDetailView(row: VpsServerRow): VpsDetailDto {
  return {
    ...vpsSummaryView(row),
    organizationId: row.organizationId,
    providerPlanId: row.providerPlanId,
    backups: row.backups,
    sshKeyIds: row.sshKeyIds,
    provisioning: {
      stage: row.provisioningStage,
      attempt: row.provisioningAttempt,
      error: row.provisioningError,
      workflowId: row.workflowId,
    },
    providerInstanceId: row.providerInstanceId,
    lastPowerAction: row.lastPowerAction,
    lastPowerActionAt: iso(row.lastPowerActionAt),
    lastBilledAt: iso(row.lastBilledAt),
    billedUntil: iso(row.billedUntil),
    debt: row.debt === null ? null : formatMoney(row.debt),
    reverseDns: row.reverseDns,
    operation: row.operation === null ? null : vpsOperationView(row.operation),
    lastOperation: row.lastOperation === null ? null : lastOperationView(row.lastOperation),
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}

export function vpsOperationView(operation: VpsOperation): VpsOperationDto {
  const common = {
    id: operation.operationId,
    kind: operation.kind,
    workflowId: operation.workflowId,
    requestedAt: operation.requestedAt,
  };
  // What each kind did not ask for is null.
  const none = { label: null, ipv4: null, hostname: null, backupId: null, firewall: null };
  switch (operation.kind) {
    case 'rename':
      return { ...common, ...none, label: operation.label };
    case 'reverse_dns':
      return { ...common, ...none, ipv4: operation.ipv4, hostname: operation.hostname };
    // ---- backups and firewall (issue 15) ----
    case 'snapshot':
      return { ...common, ...none, label: operation.label };
    case 'restore':
      return { ...common, ...none, backupId: operation.backupId };
    case 'firewall':
      return { ...common, ...none, firewall: operation.rules };
    default:
      return assertNever(operation);
  }
}

function lastOperationView(last: VpsLastOperation): VpsLastOperationDto {
  return {
    id: last.operationId,
    kind: last.kind,
    outcome: last.outcome,
    reason: last.reason,
    finishedAt: last.finishedAt,
  };
}
