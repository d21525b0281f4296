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
    // Each kind fills in what it asks; never the rebuild's password.
    label: null,
    ipv4: null,
    hostname: null,
    image: null,
    planId: null,
    backups: null,
    hourlyPrice: null,
    monthlyPrice: null,
  };
  switch (operation.kind) {
    case 'rename':
      return { ...common, label: operation.label };
    case 'reverse_dns':
      return { ...common, ipv4: operation.ipv4, hostname: operation.hostname };
    // ---- rebuild, resize, backups (issue 15) ----
    case 'rebuild':
      return { ...common, image: operation.image };
    case 'resize':
      return {
        ...common,
        planId: operation.planId,
        hourlyPrice: operation.hourlyPrice,
        monthlyPrice: operation.monthlyPrice,
      };
    case 'backups':
      return {
        ...common,
        backups: operation.enabled,
        hourlyPrice: operation.hourlyPrice,
        monthlyPrice: operation.monthlyPrice,
      };
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
