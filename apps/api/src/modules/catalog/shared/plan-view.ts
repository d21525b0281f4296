import { formatMoney } from '@stratus/domain';
import type { PlanRow } from '@stratus/projections';
import { planPrices, type PlanPriceComponents } from './plan-pricing';
import type { OfferedPlanDto, PlanDto, PlanPricesDto } from './plan.dto';

export function pricesView(plan: PlanPriceComponents): PlanPricesDto {
  const without = planPrices(plan, false);
  const withBackups = planPrices(plan, true);
  return {
    hourlyPrice: formatMoney(without.hourly),
    monthlyPrice: formatMoney(without.monthly),
    hourlyPriceWithBackups: formatMoney(withBackups.hourly),
    monthlyPriceWithBackups: formatMoney(withBackups.monthly),
  };
}

export function planView(row: PlanRow): PlanDto {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    providerPlanId: row.providerPlanId,
    regions: row.regions,
    baseMonthlyPrice: formatMoney(row.baseMonthlyPrice),
    markup: formatMoney(row.markup),
    backupUpcharge: formatMoney(row.backupUpcharge),
    active: row.active,
    ...pricesView(row),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function offeredPlanView(row: PlanRow, specs: OfferedPlanDto['specs']): OfferedPlanDto {
  return { id: row.id, name: row.name, regions: row.regions, ...pricesView(row), specs };
}
