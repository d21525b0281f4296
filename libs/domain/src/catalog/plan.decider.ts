import { formatMoney, MAX_MONEY_MICROS, money } from '../money/money';
import { isPlatformStaff } from '../shared/actor';
import {
  assertNever,
  DomainError,
  type Command,
  type CommandMetadata,
  type Decider,
} from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { PlanEvent } from './plan.events';
import type { PlanPrices } from './pricing';

export const MAX_PLAN_NAME_LENGTH = 100;
export const MAX_PLAN_REGIONS = 100;

export interface PlanDefinition {
  name: string;
  providerPlanId: string;
  regions: string[];
  /** Monthly micro-dollars. */
  baseMonthlyPrice: bigint;
  markup: bigint;
  backupUpcharge: bigint;
  active: boolean;
}

/** Staff only. Creating the same plan again with the same definition records nothing. */
export type CreatePlan = Command<'CreatePlan', { planId: string; provider?: 'linode' } & PlanDefinition>;
/** Staff only. Any subset of the fields; only what actually changes is recorded (nothing → no events). */
export type UpdatePlan = Command<'UpdatePlan', { planId?: string } & Partial<PlanDefinition>>;
export type PlanCommand = CreatePlan | UpdatePlan;

export type PlanState =
  { status: 'none' } | ({ status: 'defined'; planId: string; provider: 'linode' } & PlanDefinition);
export type DefinedPlanState = Extract<PlanState, { status: 'defined' }>;

// ---- validation ----

function requireStaff(metadata: CommandMetadata): void {
  if (!isPlatformStaff(metadata)) {
    throw new DomainError('forbidden', 'platform_admin_required', 'Only platform staff can manage plans');
  }
}

function requirePrice(value: unknown, field: string): bigint {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_MONEY_MICROS) {
    throw new DomainError(
      'validation',
      'invalid_price',
      `${field} must be a bigint of micro-dollars between 0 and ${formatMoney(MAX_MONEY_MICROS)}`,
      { field },
    );
  }
  return value;
}

function requireRegions(value: unknown): string[] {
  const valid =
    Array.isArray(value) &&
    value.length > 0 &&
    value.length <= MAX_PLAN_REGIONS &&
    value.every((region) => typeof region === 'string' && /^[a-z0-9][a-z0-9-]{0,49}$/.test(region)) &&
    new Set(value).size === value.length;
  if (!valid) {
    throw new DomainError(
      'validation',
      'invalid_regions',
      `regions must be 1 to ${MAX_PLAN_REGIONS} distinct region ids such as "us-east"`,
      { field: 'regions' },
    );
  }
  return [...(value as string[])];
}

function requireActive(value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new DomainError('validation', 'invalid_active', 'active must be a boolean', { field: 'active' });
  }
  return value;
}

function requireSellablePrice(prices: PlanPrices): void {
  if (prices.baseMonthlyPrice + prices.markup <= 0n) {
    throw new DomainError(
      'validation',
      'invalid_price',
      'baseMonthlyPrice + markup must be more than zero (a plan is never free)',
      { field: 'baseMonthlyPrice' },
    );
  }
}

const requireName = (value: unknown) => requireText(value, 'name', 'invalid_name', MAX_PLAN_NAME_LENGTH);
const requireProviderPlanId = (value: unknown) => requireId(value, 'providerPlanId', 100);

function requireDefined(state: PlanState): DefinedPlanState {
  switch (state.status) {
    case 'defined':
      return state;
    case 'none':
      throw new DomainError('not_found', 'plan_not_found', 'Plan not found');
    default:
      return assertNever(state);
  }
}

const sameRegions = (a: string[], b: string[]) => a.length === b.length && a.every((r, i) => r === b[i]);

// ---- decider ----

export function initialPlanState(): PlanState {
  return { status: 'none' };
}

export function decidePlan(command: PlanCommand, state: PlanState): PlanEvent[] {
  requireStaff(command.metadata);
  switch (command.type) {
    case 'CreatePlan': {
      const data = command.data;
      const planId = requireId(data.planId, 'planId');
      if (data.provider !== undefined && data.provider !== 'linode') {
        throw new DomainError('validation', 'invalid_provider', 'provider must be "linode"', {
          field: 'provider',
        });
      }
      const definition: PlanDefinition = {
        name: requireName(data.name),
        providerPlanId: requireProviderPlanId(data.providerPlanId),
        regions: requireRegions(data.regions),
        baseMonthlyPrice: requirePrice(data.baseMonthlyPrice, 'baseMonthlyPrice'),
        markup: requirePrice(data.markup, 'markup'),
        backupUpcharge: requirePrice(data.backupUpcharge, 'backupUpcharge'),
        active: requireActive(data.active),
      };
      requireSellablePrice(definition);
      if (state.status === 'defined') {
        const same =
          state.planId === planId &&
          state.name === definition.name &&
          state.providerPlanId === definition.providerPlanId &&
          sameRegions(state.regions, definition.regions) &&
          state.baseMonthlyPrice === definition.baseMonthlyPrice &&
          state.markup === definition.markup &&
          state.backupUpcharge === definition.backupUpcharge &&
          state.active === definition.active;
        if (same) return [];
        throw new DomainError('conflict', 'plan_already_exists', 'This plan already exists', {
          planId: state.planId,
        });
      }
      return [
        {
          type: 'PlanCreated',
          data: {
            planId,
            name: definition.name,
            provider: 'linode',
            providerPlanId: definition.providerPlanId,
            regions: definition.regions,
            baseMonthlyPrice: formatMoney(definition.baseMonthlyPrice),
            markup: formatMoney(definition.markup),
            backupUpcharge: formatMoney(definition.backupUpcharge),
            active: definition.active,
          },
        },
      ];
    }
    case 'UpdatePlan': {
      const plan = requireDefined(state);
      const data = command.data;
      if (data.planId !== undefined && data.planId !== plan.planId) {
        throw new DomainError('validation', 'plan_id_mismatch', 'planId does not match the plan', {
          field: 'planId',
        });
      }
      const name = data.name === undefined ? plan.name : requireName(data.name);
      const providerPlanId =
        data.providerPlanId === undefined ? plan.providerPlanId : requireProviderPlanId(data.providerPlanId);
      const regions = data.regions === undefined ? plan.regions : requireRegions(data.regions);
      const prices: PlanPrices = {
        baseMonthlyPrice:
          data.baseMonthlyPrice === undefined
            ? plan.baseMonthlyPrice
            : requirePrice(data.baseMonthlyPrice, 'baseMonthlyPrice'),
        markup: data.markup === undefined ? plan.markup : requirePrice(data.markup, 'markup'),
        backupUpcharge:
          data.backupUpcharge === undefined
            ? plan.backupUpcharge
            : requirePrice(data.backupUpcharge, 'backupUpcharge'),
      };
      requireSellablePrice(prices);
      const active = data.active === undefined ? plan.active : requireActive(data.active);

      const events: PlanEvent[] = [];
      const planId = plan.planId;
      if (
        name !== plan.name ||
        providerPlanId !== plan.providerPlanId ||
        !sameRegions(regions, plan.regions)
      ) {
        events.push({ type: 'PlanDetailsChanged', data: { planId, name, providerPlanId, regions } });
      }
      if (
        prices.baseMonthlyPrice !== plan.baseMonthlyPrice ||
        prices.markup !== plan.markup ||
        prices.backupUpcharge !== plan.backupUpcharge
      ) {
        events.push({
          type: 'PlanPriceChanged',
          data: {
            planId,
            baseMonthlyPrice: formatMoney(prices.baseMonthlyPrice),
            markup: formatMoney(prices.markup),
            backupUpcharge: formatMoney(prices.backupUpcharge),
          },
        });
      }
      if (active !== plan.active) {
        events.push({ type: active ? 'PlanActivated' : 'PlanDeactivated', data: { planId } });
      }
      return events;
    }
    default:
      return assertNever(command);
  }
}

export function evolvePlan(state: PlanState, event: PlanEvent): PlanState {
  switch (event.type) {
    case 'PlanCreated':
      return {
        status: 'defined',
        planId: event.data.planId,
        provider: event.data.provider,
        name: event.data.name,
        providerPlanId: event.data.providerPlanId,
        regions: [...event.data.regions],
        baseMonthlyPrice: money(event.data.baseMonthlyPrice),
        markup: money(event.data.markup),
        backupUpcharge: money(event.data.backupUpcharge),
        active: event.data.active,
      };
    case 'PlanDetailsChanged':
      return state.status === 'defined'
        ? {
            ...state,
            name: event.data.name,
            providerPlanId: event.data.providerPlanId,
            regions: [...event.data.regions],
          }
        : state;
    case 'PlanPriceChanged':
      return state.status === 'defined'
        ? {
            ...state,
            baseMonthlyPrice: money(event.data.baseMonthlyPrice),
            markup: money(event.data.markup),
            backupUpcharge: money(event.data.backupUpcharge),
          }
        : state;
    case 'PlanActivated':
      return state.status === 'defined' ? { ...state, active: true } : state;
    case 'PlanDeactivated':
      return state.status === 'defined' ? { ...state, active: false } : state;
    default:
      return assertNever(event);
  }
}

export const planDecider: Decider<PlanState, PlanCommand, PlanEvent> = {
  decide: decidePlan,
  evolve: evolvePlan,
  initialState: initialPlanState,
};

/** The plan's current price components (micro-dollars), or null when there is no plan. */
export function planPricesOf(state: PlanState): PlanPrices | null {
  switch (state.status) {
    case 'none':
      return null;
    case 'defined':
      return {
        baseMonthlyPrice: state.baseMonthlyPrice,
        markup: state.markup,
        backupUpcharge: state.backupUpcharge,
      };
    default:
      return assertNever(state);
  }
}
