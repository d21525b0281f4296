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
  it('follows a background run: requested (running), progress adds lines and counts, finished', () => {
    const at = (occurredAt: string) => ({
      streamId: 'reconciliation-r2',
      occurredAt,
      actorUserId: 'staff-1',
    });
    const window = {
      reconciliationId: 'r2',
      from: report.from,
      to: report.to,
      organizationId: null,
      periodSeconds: 3600,
    };
    const requested = recorded('BillingReconciliationRequested', window, at('2026-02-01T00:00:00.000Z'));
    const progressed = recorded(
      'BillingReconciliationProgressed',
      {
        reconciliationId: 'r2',
        throughOrganizationId: 'o1',
        organizations: 1,
        eventsRead: 5,
        summary: report.summary,
        lines: report.lines,
      },
      at('2026-02-01T00:00:01.000Z'),
    );
    const finished = recorded(
      'BillingReconciliationFinished',
      { reconciliationId: 'r2', organizations: 1, eventsRead: 5, summary: report.summary },
      at('2026-02-01T00:00:02.000Z'),
    );
    const running = foldProjection(billingReconciliationsProjection, [requested]).get('r2')!;
    expect(running).toMatchObject({ status: 'running', organizationsRead: 0, eventsRead: 0, lines: [] });
    const partway = foldProjection(billingReconciliationsProjection, [requested, progressed]).get('r2')!;
    expect(partway).toMatchObject({
      status: 'running',
      organizationsRead: 1,
      eventsRead: 5,
      discrepancyCount: 1,
    });
    expect(partway.lines.map((l) => l.lineId)).toEqual([lineId]);
    expect(partway.summary).toEqual(report.summary);
    const done = foldProjection(billingReconciliationsProjection, [requested, progressed, finished]).get(
      'r2',
    )!;
    expect(done).toMatchObject({ status: 'completed', createdAt: new Date('2026-02-01T00:00:00.000Z') });
    const failed = foldProjection(billingReconciliationsProjection, [
      requested,
      recorded(
        'BillingReconciliationFailed',
        { reconciliationId: 'r2', reason: 'boom' },
        at('2026-02-01T00:00:03.000Z'),
      ),
    ]).get('r2')!;
    expect(failed).toMatchObject({ status: 'failed', failure: 'boom' });
  });

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

  it("keeps a payment debit's part recorded as debt beside what the balance gave", () => {
    const withDebt = {
      ...resolved,
      data: { ...resolved.data, adjustmentAmount: '-3.000000', debtRecorded: '2.000000' },
    };
    const row = foldProjection(billingReconciliationsProjection, [completed, withDebt]).get('r1')!;
    expect(row.lines[0].resolution).toMatchObject({
      adjustmentAmount: '-3.000000',
      debtRecorded: '2.000000',
    });
  });

  it('ignores a resolution of an unknown run', () => {
    expect(foldProjection(billingReconciliationsProjection, [resolved]).size).toBe(0);
  });
});
