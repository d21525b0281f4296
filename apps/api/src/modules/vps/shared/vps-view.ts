import { formatMoney } from '@stratus/domain';
import type { VpsServerRow } from '@stratus/projections';
import type { VpsDetailDto, VpsSummaryDto } from './vps.dto';

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
    updatedAt: row.updatedAt.toISOString(),
    deletedAt: iso(row.deletedAt),
  };
}
