import type { DomainEvent } from '../shared/decider';
import type { MoneyString } from '../money/money';

/**
 * Stream `plan-<planId>`. Prices are monthly, decimal strings of USD; the hourly price is derived in
 * `pricing.ts` (monthly / 730). A price change is an event: servers keep the price they were created with.
 */
export type PlanCreated = DomainEvent<
  'PlanCreated',
  {
    planId: string;
    name: string;
    provider: 'linode';
    providerPlanId: string;
    regions: string[];
    baseMonthlyPrice: MoneyString;
    markup: MoneyString;
    backupUpcharge: MoneyString;
    active: boolean;
  }
>;
export type PlanDetailsChanged = DomainEvent<
  'PlanDetailsChanged',
  { planId: string; name: string; providerPlanId: string; regions: string[] }
>;
export type PlanPriceChanged = DomainEvent<
  'PlanPriceChanged',
  { planId: string; baseMonthlyPrice: MoneyString; markup: MoneyString; backupUpcharge: MoneyString }
>;
export type PlanActivated = DomainEvent<'PlanActivated', { planId: string }>;
export type PlanDeactivated = DomainEvent<'PlanDeactivated', { planId: string }>;

export type PlanEvent = PlanCreated | PlanDetailsChanged | PlanPriceChanged | PlanActivated | PlanDeactivated;
