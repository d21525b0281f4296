import { hourlyPriceOf, monthlyPriceOf, streams } from '@stratus/domain';
import type { EventStore } from '@stratus/eventstore';
import { foldProjection, plansProjection, type PlanRow } from '@stratus/projections';
import { isUuid } from '../../../shared/auth/organization-access.service';

export type PlanPriceComponents = Pick<PlanRow, 'baseMonthlyPrice' | 'markup' | 'backupUpcharge'>;

/** Micro-dollars per hour and per month, by the domain's pricing (the one definition of a price). */
export function planPrices(plan: PlanPriceComponents, backups: boolean): { hourly: bigint; monthly: bigint } {
  return { hourly: hourlyPriceOf(plan, backups), monthly: monthlyPriceOf(plan, backups) };
}

/** A plan folded from its own stream: current (no projection lag), as the read model would show it. */
export async function loadPlan(eventStore: EventStore, planId: string): Promise<PlanRow | null> {
  if (!isUuid(planId)) return null;
  const id = planId.toLowerCase();
  const events = await eventStore.readStream(streams.plan(id));
  return foldProjection(plansProjection, events).get(id) ?? null;
}
