import { reconcileBilling, reconciliationLineId, type ReconciliationReport } from '../billing/reconciliation';
import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { reconciliationDecider, type ReconciliationCommand } from './reconciliation.decider';
import type {
  BillingReconciliationCompleted,
  BillingReconciliationFinished,
  BillingReconciliationProgressed,
  BillingReconciliationRequested,
  ReconciliationLineResolved,
} from './reconciliation.events';

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

const window = {
  reconciliationId: RID,
  from: report.from,
  to: report.to,
  organizationId: null,
  periodSeconds: 3600,
};
const command = <T extends ReconciliationCommand['type']>(
  type: T,
  data: Extract<ReconciliationCommand, { type: T }>['data'],
) => ({ type, data, metadata }) as ReconciliationCommand;
const request = command('RequestReconciliation', window);
const requested: BillingReconciliationRequested = { type: 'BillingReconciliationRequested', data: window };
const progress = (through: string) =>
  command('RecordReconciliationProgress', {
    throughOrganizationId: through,
    organizations: 1,
    eventsRead: 7,
    summary: report.summary,
    lines: report.lines,
  });
const progressed: BillingReconciliationProgressed = {
  type: 'BillingReconciliationProgressed',
  data: {
    reconciliationId: RID,
    throughOrganizationId: 'org-1',
    organizations: 1,
    eventsRead: 7,
    summary: report.summary,
    lines: report.lines,
  },
};
const finish = command('FinishReconciliation', {});
const finished: BillingReconciliationFinished = {
  type: 'BillingReconciliationFinished',
  data: { reconciliationId: RID, organizations: 1, eventsRead: 7, summary: report.summary },
};
/** A run recorded in one event before runs became background jobs. */
const completed: BillingReconciliationCompleted = {
  type: 'BillingReconciliationCompleted',
  data: { ...window, summary: report.summary, lines: report.lines },
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
    it('records the run requested', () => {
      spec.given([]).when(request).then([requested]);
    });

    it('records no progress', () => {
      spec.given([]).when(progress('org-1')).thenThrows('not_found', 'reconciliation_not_found');
    });

    it('cannot resolve a line', () => {
      spec.given([]).when(resolve(duplicateLine)).thenThrows('not_found', 'reconciliation_not_found');
    });
  });

  describe('while the run is running', () => {
    it('refuses to request it again', () => {
      spec.given([requested]).when(request).thenThrows('conflict', 'reconciliation_exists');
    });

    it('records progress organization by organization, in id order', () => {
      spec.given([requested]).when(progress('org-1')).then([progressed]);
      spec
        .given([requested, progressed])
        .when(progress('org-1'))
        .thenThrows('conflict', 'progress_out_of_order');
    });

    it('finishes with the summary of its progress', () => {
      spec.given([requested, progressed]).when(finish).then([finished]);
    });

    it('fails with a reason', () => {
      spec
        .given([requested, progressed])
        .when(command('FailReconciliation', { reason: 'history unreadable' }))
        .then([
          {
            type: 'BillingReconciliationFailed',
            data: { reconciliationId: RID, reason: 'history unreadable' },
          },
        ]);
    });

    it('cannot resolve a line yet', () => {
      spec
        .given([requested, progressed])
        .when(resolve(duplicateLine))
        .thenThrows('conflict', 'reconciliation_running');
    });
  });

  describe('when the run has finished', () => {
    it('resolves a line its progress found', () => {
      spec.given([requested, progressed, finished]).when(resolve(duplicateLine)).then([resolved]);
    });

    it('records nothing more', () => {
      spec
        .given([requested, progressed, finished])
        .when(finish)
        .thenThrows('conflict', 'reconciliation_ended');
      spec
        .given([requested, finished])
        .when(progress('org-2'))
        .thenThrows('conflict', 'reconciliation_ended');
    });
  });

  describe('when a run recorded in one event is stored', () => {
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

  describe('a payment debit resolved partly as debt', () => {
    const withDebt = (adjustmentAmount: bigint, debtRecorded: unknown): ReconciliationCommand => ({
      type: 'ResolveReconciliationLine',
      data: {
        lineId: duplicateLine,
        adjustmentAmount,
        debtRecorded: debtRecorded as bigint,
        reason: 'refund never debited',
        walletEventRef: 'wallet-event-1',
      },
      metadata,
    });
    const resolvedWithDebt = (
      adjustmentAmount: string,
      debtRecorded: string,
    ): ReconciliationLineResolved => ({
      type: 'ReconciliationLineResolved',
      data: { ...resolved.data, adjustmentAmount, debtRecorded, reason: 'refund never debited' },
    });

    it('records what the wallet moved and, apart, what became outstanding debt', () => {
      spec
        .given([completed])
        .when(withDebt(-3_000_000n, 2_000_000n))
        .then([resolvedWithDebt('-3.000000', '2.000000')]);
    });

    it('records a debit taken wholly as debt (nothing moved on the balance)', () => {
      spec
        .given([completed])
        .when(withDebt(0n, 5_000_000n))
        .then([resolvedWithDebt('0.000000', '5.000000')]);
    });

    it('refuses a negative or non-bigint debt, and nothing moved without debt', () => {
      for (const debt of [-1n, 2, '2.00']) {
        spec
          .given([completed])
          .when(withDebt(-1n, debt))
          .thenThrows('validation', 'invalid_debt', { field: 'debtRecorded' });
      }
      spec.given([completed]).when(withDebt(0n, 0n)).thenThrows('validation', 'invalid_amount');
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
