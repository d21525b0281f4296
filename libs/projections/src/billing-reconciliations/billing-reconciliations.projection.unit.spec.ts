import { reconcileBilling, reconciliationLineId } from '@stratus/domain';
import { foldProjection } from '../projection';
import { recorded } from '../testing/recorded-events';
import { billingReconciliationsProjection } from './billing-reconciliations.projection';

const CHARGE = 'vps-v1:2026-01-01T01:00:00.000Z';
const report = reconcileBilling(
  { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T03:00:00.000Z', periodSeconds: 3600 },
  [
    {
      id: 'r',
      streamId: 'vps-v1',
      type: 'VpsRequested',
      data: { vpsId: 'v1', organizationId: 'o1', hourlyPrice: '1' },
      occurredAt: '2026-01-01T00:00:00.000Z',
    },
    {
      id: 'a',
      streamId: 'vps-v1',
      type: 'VpsActivated',
      data: { vpsId: 'v1', billedUntil: '2026-01-01T01:00:00.000Z' },
      occurredAt: '2026-01-01T00:00:00.000Z',
    },
    ...['c0', 'c1', 'c1b'].map((id) => ({
      id,
      streamId: 'wallet-o1',
      type: 'WalletCharged',
      data: {
        organizationId: 'o1',
        chargeId: id === 'c0' ? 'vps-v1:2026-01-01T00:00:00.000Z' : CHARGE,
        amount: '1',
      },
      occurredAt: '2026-01-01T02:00:00.000Z',
    })),
  ],
);
const lineId = reconciliationLineId(CHARGE, 'duplicate_charge');
const completed = recorded(
  'BillingReconciliationCompleted',
  { reconciliationId: 'r1', ...report },
  { streamId: 'reconciliation-r1', occurredAt: '2026-02-01T00:00:00.000Z', actorUserId: 'staff-1' },
);
const resolved = recorded(
  'ReconciliationLineResolved',
  {
    reconciliationId: 'r1',
    lineId,
    organizationId: 'o1',
    chargeId: CHARGE,
    adjustmentAmount: '1.000000',
    reason: 'double charge',
    walletEventRef: 'w-1',
  },
  { streamId: 'reconciliation-r1', occurredAt: '2026-02-02T00:00:00.000Z', actorUserId: 'staff-2' },
);

describe('billing-reconciliations projection', () => {
  it('stores a run with its summary, totals and lines', () => {
    const row = foldProjection(billingReconciliationsProjection, [completed]).get('r1')!;
    expect(row).toMatchObject({
      reconciliationId: 'r1',
      periodFrom: new Date('2026-01-01T00:00:00.000Z'),
      organizationId: null,
      discrepancyCount: 1,
      resolvedCount: 0,
      expectedTotal: 2_000_000n,
      chargedTotal: 3_000_000n,
      createdBy: 'staff-1',
    });
    expect(row.lines).toEqual([{ ...report.lines[0], resolution: null }]);
  });

  it('marks a resolved line once, however often the event is applied', () => {
    const once = foldProjection(billingReconciliationsProjection, [completed, resolved]).get('r1')!;
    const twice = foldProjection(billingReconciliationsProjection, [completed, resolved, resolved]).get(
      'r1',
    )!;
    expect(twice).toEqual(once);
    expect(once.resolvedCount).toBe(1);
    expect(once.lines[0].resolution).toEqual({
      adjustmentAmount: '1.000000',
      reason: 'double charge',
      walletEventRef: 'w-1',
      resolvedBy: 'staff-2',
      resolvedAt: '2026-02-02T00:00:00.000Z',
    });
  });

  it('ignores a resolution of an unknown run', () => {
    expect(foldProjection(billingReconciliationsProjection, [resolved]).size).toBe(0);
  });
});
