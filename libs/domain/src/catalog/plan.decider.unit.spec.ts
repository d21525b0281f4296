import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { planDecider, planPricesOf, type PlanCommand, type UpdatePlan } from './plan.decider';
import type { PlanCreated, PlanEvent } from './plan.events';
import { hourlyPriceOf } from './pricing';

const spec = DeciderSpecification.for(planDecider);
const PLAN = 'plan-1';
const admin: CommandMetadata = metadataFor('staff-1', 'admin');
const system: CommandMetadata = metadataFor('seeder', 'system');
const customer: CommandMetadata = metadataFor('user-1');

const definition = {
  name: 'Nanode 1 GB',
  providerPlanId: 'g6-nanode-1',
  regions: ['us-east', 'eu-west'],
  baseMonthlyPrice: 5_000_000n,
  markup: 1_000_000n,
  backupUpcharge: 2_000_000n,
  active: true,
};
const create = (changes: Partial<typeof definition> = {}, metadata = admin): PlanCommand => ({
  type: 'CreatePlan',
  data: { planId: PLAN, ...definition, ...changes },
  metadata,
});
const update = (data: UpdatePlan['data'], metadata = admin): PlanCommand => ({
  type: 'UpdatePlan',
  data: { planId: PLAN, ...data },
  metadata,
});

const created: PlanCreated = {
  type: 'PlanCreated',
  data: {
    planId: PLAN,
    name: 'Nanode 1 GB',
    provider: 'linode',
    providerPlanId: 'g6-nanode-1',
    regions: ['us-east', 'eu-west'],
    baseMonthlyPrice: '5.000000',
    markup: '1.000000',
    backupUpcharge: '2.000000',
    active: true,
  },
};
const detailsChanged = (data: Partial<PlanCreated['data']>): PlanEvent => ({
  type: 'PlanDetailsChanged',
  data: {
    planId: PLAN,
    name: data.name ?? created.data.name,
    providerPlanId: data.providerPlanId ?? created.data.providerPlanId,
    regions: data.regions ?? created.data.regions,
  },
});
const priceChanged = (
  baseMonthlyPrice: string,
  markup = '1.000000',
  backupUpcharge = '2.000000',
): PlanEvent => ({
  type: 'PlanPriceChanged',
  data: { planId: PLAN, baseMonthlyPrice, markup, backupUpcharge },
});
const deactivated: PlanEvent = { type: 'PlanDeactivated', data: { planId: PLAN } };
const activated: PlanEvent = { type: 'PlanActivated', data: { planId: PLAN } };

describe('plan decider', () => {
  describe('no plan', () => {
    it('CreatePlan by staff or the system records PlanCreated with bigint prices in the state', () => {
      const state = spec.given([]).when(create()).then([created]);
      expect(planPricesOf(state)).toEqual({
        baseMonthlyPrice: 5_000_000n,
        markup: 1_000_000n,
        backupUpcharge: 2_000_000n,
      });
      expect(hourlyPriceOf(planPricesOf(state)!, { backups: false })).toBe(8219n);
      spec.given([]).when(create({}, system)).then([created]);
    });

    it('CreatePlan by a customer is forbidden', () => {
      spec.given([]).when(create({}, customer)).thenThrows('forbidden', 'platform_admin_required');
    });

    it.each<[string, Partial<typeof definition>, string]>([
      ['an empty name', { name: '  ' }, 'invalid_name'],
      ['a 101-character name', { name: 'n'.repeat(101) }, 'invalid_name'],
      ['an empty provider plan', { providerPlanId: '' }, 'invalid_provider_plan_id'],
      ['no regions', { regions: [] }, 'invalid_regions'],
      ['repeated regions', { regions: ['us-east', 'us-east'] }, 'invalid_regions'],
      ['a negative price', { markup: -1n }, 'invalid_price'],
      ['a free plan', { baseMonthlyPrice: 0n, markup: 0n }, 'invalid_price'],
      ['a non-boolean active', { active: 'yes' as unknown as boolean }, 'invalid_active'],
    ])('CreatePlan refuses %s', (_what, changes, reason) => {
      spec.given([]).when(create(changes)).thenThrows('validation', reason);
    });

    it('CreatePlan accepts a zero base price with a markup, and zero upcharge', () => {
      const state = spec
        .given([])
        .when(create({ baseMonthlyPrice: 0n, backupUpcharge: 0n }))
        .then([
          { ...created, data: { ...created.data, baseMonthlyPrice: '0.000000', backupUpcharge: '0.000000' } },
        ]);
      expect(state.status).toBe('defined');
    });

    it('UpdatePlan is not_found; planPricesOf is null', () => {
      spec
        .given([])
        .when(update({ name: 'x' }))
        .thenThrows('not_found', 'plan_not_found');
      expect(planPricesOf(stateAfter(planDecider, []))).toBeNull();
    });
  });

  describe('defined', () => {
    it('CreatePlan again: the same definition records nothing, another is a conflict', () => {
      spec.given([created]).when(create()).then([]);
      spec
        .given([created])
        .when(create({ name: 'Other' }))
        .thenThrows('conflict', 'plan_already_exists');
    });

    it('UpdatePlan records only what changed', () => {
      spec
        .given([created])
        .when(update({ name: 'Nanode' }))
        .then([detailsChanged({ name: 'Nanode' })]);
      spec
        .given([created])
        .when(update({ regions: ['us-east'] }))
        .then([detailsChanged({ regions: ['us-east'] })]);
      spec
        .given([created])
        .when(update({ baseMonthlyPrice: 7_300_000n }))
        .then([priceChanged('7.300000')]);
      spec
        .given([created])
        .when(update({ active: false }))
        .then([deactivated]);
      spec
        .given([created, deactivated])
        .when(update({ active: true }))
        .then([activated]);
    });

    it('UpdatePlan of everything records the three kinds of change, in order', () => {
      const state = spec
        .given([created])
        .when(update({ name: 'Big', providerPlanId: 'g6-standard-2', markup: 0n, active: false }))
        .then([
          detailsChanged({ name: 'Big', providerPlanId: 'g6-standard-2' }),
          priceChanged('5.000000', '0.000000'),
          deactivated,
        ]);
      expect(state).toMatchObject({ name: 'Big', markup: 0n, active: false });
    });

    it('UpdatePlan with nothing new records nothing', () => {
      spec.given([created]).when(update({})).then([]);
      spec
        .given([created])
        .when(update({ ...definition }))
        .then([]);
    });

    it('UpdatePlan refuses a customer, bad values, a free result and another planId', () => {
      spec
        .given([created])
        .when(update({ name: 'x' }, customer))
        .thenThrows('forbidden', 'platform_admin_required');
      spec
        .given([created])
        .when(update({ regions: [] }))
        .thenThrows('validation', 'invalid_regions');
      spec
        .given([created])
        .when(update({ backupUpcharge: -1n }))
        .thenThrows('validation', 'invalid_price');
      spec
        .given([created])
        .when(update({ baseMonthlyPrice: 0n, markup: 0n }))
        .thenThrows('validation', 'invalid_price');
      spec
        .given([created])
        .when(update({ planId: 'plan-2' }))
        .thenThrows('validation', 'plan_id_mismatch');
    });
  });
});
