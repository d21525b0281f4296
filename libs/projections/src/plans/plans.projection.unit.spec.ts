import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { plansProjection } from './plans.projection';

const created = (planId = 'p1') =>
  recorded(
    'PlanCreated',
    {
      planId,
      name: 'Nano',
      provider: 'linode',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east', 'eu-west'],
      baseMonthlyPrice: '5.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    },
    { occurredAt: '2026-01-01T00:00:00.000Z' },
  );

describe('plans projection', () => {
  it('creates the row with prices in micro-dollars', () => {
    expect(foldProjection(plansProjection, [created()]).get('p1')).toEqual({
      id: 'p1',
      name: 'Nano',
      provider: 'linode',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east', 'eu-west'],
      baseMonthlyPrice: 5_000_000n,
      markup: 1_000_000n,
      backupUpcharge: 2_000_000n,
      active: true,
      createdAt: new Date('2026-01-01T00:00:00.000Z'),
      updatedAt: new Date('2026-01-01T00:00:00.000Z'),
    });
  });

  it('applies details, price and activation changes', () => {
    const at = '2026-01-02T00:00:00.000Z';
    const rows = foldProjection(plansProjection, [
      created(),
      recorded(
        'PlanDetailsChanged',
        { planId: 'p1', name: 'Nano 2', providerPlanId: 'g6-nanode-2', regions: ['ap-south'] },
        { occurredAt: at },
      ),
      recorded('PlanPriceChanged', {
        planId: 'p1',
        baseMonthlyPrice: '7.3',
        markup: '0',
        backupUpcharge: '0.000001',
      }),
      recorded('PlanDeactivated', { planId: 'p1' }, { occurredAt: at }),
    ]);
    expect(rows.get('p1')).toMatchObject({
      name: 'Nano 2',
      providerPlanId: 'g6-nanode-2',
      regions: ['ap-south'],
      baseMonthlyPrice: 7_300_000n,
      markup: 0n,
      backupUpcharge: 1n,
      active: false,
      updatedAt: new Date(at),
    });
    const reactivated = foldProjection(plansProjection, [recorded('PlanActivated', { planId: 'p1' })], rows);
    expect(reactivated.get('p1')!.active).toBe(true);
  });

  it('ignores a change for a plan it never saw created, and is idempotent', () => {
    expect(foldProjection(plansProjection, [recorded('PlanActivated', { planId: 'x' })]).size).toBe(0);
    const event = created();
    expect(foldProjection(plansProjection, [event, event])).toEqual(foldProjection(plansProjection, [event]));
  });
});
