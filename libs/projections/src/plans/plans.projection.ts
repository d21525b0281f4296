import { assertNever, money, type PlanEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { PlanEntity, type PlanRow } from './plan.entity';

export const PLAN_EVENT_TYPES = [
  'PlanCreated',
  'PlanDetailsChanged',
  'PlanPriceChanged',
  'PlanActivated',
  'PlanDeactivated',
] as const satisfies readonly PlanEvent['type'][];

export const plansProjection: Projection<PlanRow> = {
  name: 'plans',
  entity: PlanEntity,
  handles: PLAN_EVENT_TYPES,
  keyOf: (event) => asRecorded<PlanEvent>(event).data.planId,
  evolve(row, recorded) {
    const event = asRecorded<PlanEvent>(recorded);
    const at = occurredAt(event);
    if (event.type === 'PlanCreated') {
      return {
        id: event.data.planId,
        name: event.data.name,
        provider: event.data.provider,
        providerPlanId: event.data.providerPlanId,
        regions: [...event.data.regions],
        baseMonthlyPrice: money(event.data.baseMonthlyPrice),
        markup: money(event.data.markup),
        backupUpcharge: money(event.data.backupUpcharge),
        active: event.data.active,
        createdAt: at,
        updatedAt: at,
      };
    }
    // Every other plan event follows PlanCreated on the same stream.
    if (!row) return null;
    switch (event.type) {
      case 'PlanDetailsChanged':
        return {
          ...row,
          name: event.data.name,
          providerPlanId: event.data.providerPlanId,
          regions: [...event.data.regions],
          updatedAt: at,
        };
      case 'PlanPriceChanged':
        return {
          ...row,
          baseMonthlyPrice: money(event.data.baseMonthlyPrice),
          markup: money(event.data.markup),
          backupUpcharge: money(event.data.backupUpcharge),
          updatedAt: at,
        };
      case 'PlanActivated':
        return { ...row, active: true, updatedAt: at };
      case 'PlanDeactivated':
        return { ...row, active: false, updatedAt: at };
      default:
        return assertNever(event);
    }
  },
};
