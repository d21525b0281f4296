import { BigIntType, EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import type { ReconciliationLine, ReconciliationSummary } from '@stratus/domain';

/** A line with its resolution, if any (the wallet adjustment that corrected it). */
export interface ReconciliationLineView extends ReconciliationLine {
  resolution: {
    adjustmentAmount: string;
    reason: string;
    walletEventRef: string;
    resolvedBy: string;
    resolvedAt: string;
  } | null;
}

/**
 * One stored billing replay (stream `reconciliation-<id>`), for listing newest first. The lines live in a
 * jsonb column: a projection writes one row per event, and a run's lines arrive in one event.
 */
export interface BillingReconciliationRow {
  [PrimaryKeyProp]?: 'reconciliationId';
  reconciliationId: string;
  periodFrom: Date;
  periodTo: Date;
  organizationId: string | null;
  periodSeconds: number;
  summary: ReconciliationSummary;
  discrepancyCount: number;
  resolvedCount: number;
  expectedTotal: bigint;
  chargedTotal: bigint;
  lines: ReconciliationLineView[];
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const BillingReconciliationEntity = new EntitySchema<BillingReconciliationRow>({
  name: 'BillingReconciliation',
  tableName: 'billing_reconciliations',
  indexes: [
    {
      name: 'billing_reconciliations_created_at_index',
      expression:
        'create index "billing_reconciliations_created_at_index" on "billing_reconciliations" ("created_at" desc, "reconciliation_id" desc)',
    },
  ],
  properties: {
    reconciliationId: { type: 'string', columnType: 'text', primary: true },
    periodFrom: { type: 'Date', columnType: 'timestamptz' },
    periodTo: { type: 'Date', columnType: 'timestamptz' },
    organizationId: { type: 'string', columnType: 'text', nullable: true },
    periodSeconds: { type: 'integer', columnType: 'integer' },
    summary: { type: 'json', columnType: 'jsonb' },
    discrepancyCount: { type: 'integer', columnType: 'integer' },
    resolvedCount: { type: 'integer', columnType: 'integer' },
    expectedTotal: { type: new BigIntType('bigint'), columnType: 'bigint' },
    chargedTotal: { type: new BigIntType('bigint'), columnType: 'bigint' },
    lines: { type: 'json', columnType: 'jsonb' },
    createdBy: { type: 'string', columnType: 'text' },
    createdAt: { type: 'Date', columnType: 'timestamptz' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
