import { reconcileBilling, reconciliationLineId, type ReconciliationReport } from '../billing/reconciliation';
import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { reconciliationDecider, type ReconciliationCommand } from './reconciliation.decider';
import type { BillingReconciliationCompleted, ReconciliationLineResolved } from './reconciliation.events';

const spec = DeciderSpecification.for(reconciliationDecider);
const metadata = metadataFor('staff-1', 'admin');
const RID = 'rec-1';
const CHARGE = 'vps-v1:2026-01-01T01:00:00.000Z';

/** A replay with one duplicate charge and one unpaid period. */
const report: ReconciliationReport = reconcileBilling(
  { from: '2026-01-01T00:00:00.000Z', to: '2026-01-01T04:00:00.000Z', periodSeconds: 3600 },
  [
    {
      id: 'r',
      streamId: 'vps-v1',
      type: 'VpsRequested',
      data: { vpsId: 'v1', organizationId: 'org-1', hourlyPrice: '1' },
      occurredAt: '2026-01-01T00:00:00.000Z',
    },
    {
      id: 'a',
      streamId: 'vps-v1',
      type: 'VpsActivated',
      data: { vpsId: 'v1', billedUntil: '2026-01-01T01:00:00.000Z' },
      occurredAt: '2026-01-01T00:01:00.000Z',
    },
    ...['c0', 'c1', 'c1-dup'].map((id) => ({
      id,
      streamId: 'wallet-org-1',
      type: 'WalletCharged',
      data: {
        organizationId: 'org-1',
        chargeId: id === 'c0' ? 'vps-v1:2026-01-01T00:00:00.000Z' : CHARGE,
        amount: '1',
      },
      occurredAt: '2026-01-01T02:00:00.000Z',
    })),
    {
      id: 'f2',
      streamId: 'wallet-org-1',
      type: 'WalletChargeFailed',
      data: { organizationId: 'org-1', chargeId: 'vps-v1:2026-01-01T02:00:00.000Z', amount: '1' },
      occurredAt: '2026-01-01T03:00:00.000Z',
    },
  ],
);
const duplicateLine = reconciliationLineId(CHARGE, 'duplicate_charge');
const unpaidLine = reconciliationLineId('vps-v1:2026-01-01T02:00:00.000Z', 'unpaid');

const complete: ReconciliationCommand = {
  type: 'CompleteReconciliation',
  data: { reconciliationId: RID, report },
  metadata,
};
const completed: BillingReconciliationCompleted = {
  type: 'BillingReconciliationCompleted',
  data: {
    reconciliationId: RID,
    from: report.from,
    to: report.to,
    organizationId: null,
    periodSeconds: 3600,
    summary: report.summary,
    lines: report.lines,
  },
};
const resolve = (
  lineId: string,
  adjustmentAmount = 1_000_000n,
  reason = 'double charge',
): ReconciliationCommand => ({
  type: 'ResolveReconciliationLine',
  data: { lineId, adjustmentAmount, reason, walletEventRef: 'wallet-event-1' },
  metadata,
});
const resolved: ReconciliationLineResolved = {
  type: 'ReconciliationLineResolved',
  data: {
    reconciliationId: RID,
    lineId: duplicateLine,
    organizationId: 'org-1',
    chargeId: CHARGE,
    adjustmentAmount: '1.000000',
    reason: 'double charge',
    walletEventRef: 'wallet-event-1',
  },
};

describe('reconciliation decider', () => {
  it('the replay under test has the lines the cases need', () => {
    expect(report.lines.map((l) => l.kind)).toEqual(['duplicate_charge', 'unpaid']);
  });

  describe('when nothing is stored', () => {
    it('stores the completed run', () => {
      spec.given([]).when(complete).then([completed]);
    });

    it('cannot resolve a line', () => {
      spec.given([]).when(resolve(duplicateLine)).thenThrows('not_found', 'reconciliation_not_found');
    });
  });

  describe('when the run is stored', () => {
    it('refuses to store it again', () => {
      spec.given([completed]).when(complete).thenThrows('conflict', 'reconciliation_exists');
    });

    it('resolves a discrepancy line with the wallet adjustment that corrected it', () => {
      spec.given([completed]).when(resolve(duplicateLine)).then([resolved]);
    });

    it('refuses an unknown line', () => {
      spec.given([completed]).when(resolve('rl-nope')).thenThrows('not_found', 'line_not_found');
    });

    it('refuses to resolve an unpaid period (a debt, not an error)', () => {
      spec.given([completed]).when(resolve(unpaidLine)).thenThrows('conflict', 'line_not_a_discrepancy');
    });

    it('refuses a zero amount and an empty reason', () => {
      spec.given([completed]).when(resolve(duplicateLine, 0n)).thenThrows('validation', 'invalid_amount');
      spec
        .given([completed])
        .when(resolve(duplicateLine, 1n, ' '))
        .thenThrows('validation', 'invalid_reason');
    });
  });

  describe('when the line is resolved', () => {
    it('refuses to resolve it twice', () => {
      spec
        .given([completed, resolved])
        .when(resolve(duplicateLine))
        .thenThrows('conflict', 'line_already_resolved', { lineId: duplicateLine });
    });
  });
});
