import { hourlyPriceOf, monthlyPriceOf, planDecider, streams, type PlanEvent } from '@stratus/domain';
import type { EventStore } from '@stratus/eventstore';
import type { PlanRow } from '@stratus/projections';
import { isUuid } from '../../../shared/auth/organization-access.service';

export type PlanPriceComponents = Pick<PlanRow, 'baseMonthlyPrice' | 'markup' | 'backupUpcharge'>;

/** Micro-dollars per hour and per month, by the domain's pricing (the one definition of a price). */
export function planPrices(plan: PlanPriceComponents, backups: boolean): { hourly: bigint; monthly: bigint } {
  return { hourly: hourlyPriceOf(plan, backups), monthly: monthlyPriceOf(plan, backups) };
}

/**
 * A plan folded by its decider from its own stream (current: no projection lag), in the read model's shape:
 * created when its first event occurred, updated when its last one did (every plan event changes it).
 */
export async function loadPlan(eventStore: EventStore, planId: string): Promise<PlanRow | null> {
  if (!isUuid(planId)) return null;
  const events = await eventStore.readStream(streams.plan(planId.toLowerCase()));
  const plan = events.reduce(
    (state, event) => planDecider.evolve(state, { type: event.type, data: event.data } as PlanEvent),
    planDecider.initialState(),
  );
  if (plan.status === 'none') return null;
  const { status: _defined, planId: id, ...definition } = plan;
  return {
    id,
    ...definition,
    createdAt: new Date(events[0].metadata.occurredAt),
    updatedAt: new Date(events[events.length - 1].metadata.occurredAt),
  };
}
