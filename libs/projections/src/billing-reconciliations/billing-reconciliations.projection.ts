import { assertNever, isDiscrepancyKind, money, type ReconciliationEvent } from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { BillingReconciliationEntity, type BillingReconciliationRow } from './billing-reconciliation.entity';

export const BILLING_RECONCILIATION_EVENT_TYPES = [
  'BillingReconciliationCompleted',
  'ReconciliationLineResolved',
] as const satisfies readonly ReconciliationEvent['type'][];

/** Stored billing replays and their resolutions (admin billing). */
export const billingReconciliationsProjection: Projection<BillingReconciliationRow> = {
  name: 'billing-reconciliations',
  entity: BillingReconciliationEntity,
  handles: BILLING_RECONCILIATION_EVENT_TYPES,
  keyOf: (event) => (event.data as { reconciliationId?: string }).reconciliationId ?? null,
  evolve(row, recorded) {
    const event = asRecorded<ReconciliationEvent>(recorded);
    switch (event.type) {
      case 'BillingReconciliationCompleted': {
        const { data } = event;
        return {
          reconciliationId: data.reconciliationId,
          periodFrom: new Date(data.from),
          periodTo: new Date(data.to),
          organizationId: data.organizationId,
          periodSeconds: data.periodSeconds,
          summary: data.summary,
          discrepancyCount: data.lines.filter((l) => isDiscrepancyKind(l.kind)).length,
          resolvedCount: 0,
          expectedTotal: money(data.summary.expectedTotal),
          chargedTotal: money(data.summary.chargedTotal),
          lines: data.lines.map((line) => ({ ...line, resolution: null })),
          createdBy: event.metadata.actor.userId,
          createdAt: occurredAt(event),
          updatedAt: occurredAt(event),
        };
      }
      case 'ReconciliationLineResolved': {
        if (!row) return null;
        const { data } = event;
        let resolvedCount = row.resolvedCount;
        const lines = row.lines.map((line) => {
          if (line.lineId !== data.lineId || line.resolution !== null) return line;
          resolvedCount += 1;
          return {
            ...line,
            resolution: {
              adjustmentAmount: data.adjustmentAmount,
              reason: data.reason,
              walletEventRef: data.walletEventRef,
              resolvedBy: event.metadata.actor.userId,
              resolvedAt: event.metadata.occurredAt,
            },
          };
        });
        return { ...row, lines, resolvedCount, updatedAt: occurredAt(event) };
      }
      default:
        return assertNever(event);
    }
  },
};
