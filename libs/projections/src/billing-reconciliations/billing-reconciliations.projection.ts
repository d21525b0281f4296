import {
  addReconciliationSummaries,
  assertNever,
  emptyReconciliationSummary,
  isDiscrepancyKind,
  money,
  type ReconciliationEvent,
} from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import { BillingReconciliationEntity, type BillingReconciliationRow } from './billing-reconciliation.entity';

export const BILLING_RECONCILIATION_EVENT_TYPES = [
  'BillingReconciliationRequested',
  'BillingReconciliationProgressed',
  'BillingReconciliationFinished',
  'BillingReconciliationFailed',
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
      case 'BillingReconciliationRequested': {
        const { data } = event;
        const summary = emptyReconciliationSummary();
        return {
          reconciliationId: data.reconciliationId,
          periodFrom: new Date(data.from),
          periodTo: new Date(data.to),
          organizationId: data.organizationId,
          periodSeconds: data.periodSeconds,
          status: 'running',
          organizationsRead: 0,
          eventsRead: 0,
          failure: null,
          summary,
          discrepancyCount: 0,
          resolvedCount: 0,
          expectedTotal: 0n,
          chargedTotal: 0n,
          lines: [],
          createdBy: event.metadata.actor.userId,
          createdAt: occurredAt(event),
          updatedAt: occurredAt(event),
        };
      }
      case 'BillingReconciliationProgressed': {
        if (!row) return null;
        const { data } = event;
        const summary = addReconciliationSummaries(row.summary, data.summary);
        return {
          ...row,
          organizationsRead: row.organizationsRead + data.organizations,
          eventsRead: row.eventsRead + data.eventsRead,
          summary,
          discrepancyCount: row.discrepancyCount + data.lines.filter((l) => isDiscrepancyKind(l.kind)).length,
          expectedTotal: money(summary.expectedTotal),
          chargedTotal: money(summary.chargedTotal),
          lines: [...row.lines, ...data.lines.map((line) => ({ ...line, resolution: null }))],
          updatedAt: occurredAt(event),
        };
      }
      case 'BillingReconciliationFinished': {
        if (!row) return null;
        const { data } = event;
        return {
          ...row,
          status: 'completed',
          organizationsRead: data.organizations,
          eventsRead: data.eventsRead,
          summary: data.summary,
          expectedTotal: money(data.summary.expectedTotal),
          chargedTotal: money(data.summary.chargedTotal),
          updatedAt: occurredAt(event),
        };
      }
      case 'BillingReconciliationFailed': {
        if (!row) return null;
        return { ...row, status: 'failed', failure: event.data.reason, updatedAt: occurredAt(event) };
      }
      case 'BillingReconciliationCompleted': {
        const { data } = event;
        return {
          reconciliationId: data.reconciliationId,
          periodFrom: new Date(data.from),
          periodTo: new Date(data.to),
          organizationId: data.organizationId,
          periodSeconds: data.periodSeconds,
          status: 'completed',
          organizationsRead: 0,
          eventsRead: 0,
          failure: null,
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
              ...(data.debtRecorded ? { debtRecorded: data.debtRecorded } : {}),
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
