import { BigIntType, EntitySchema, PrimaryKeyProp } from '@mikro-orm/core';
import type { ReconciliationLine, ReconciliationSummary } from '@stratus/domain';

/** A line with its resolution, if any (the wallet adjustment that corrected it). */
export interface ReconciliationLineView extends ReconciliationLine {
  resolution: {
    adjustmentAmount: string;
    /** A payment debit's part recorded as outstanding debt (absent when none). */
    debtRecorded?: string;
    reason: string;
    walletEventRef: string;
    resolvedBy: string;
    resolvedAt: string;
  } | null;
}

export const RECONCILIATION_RUN_STATUSES = ['running', 'completed', 'failed'] as const;
export type ReconciliationRunStatus = (typeof RECONCILIATION_RUN_STATUSES)[number];

/**
 * One billing replay (stream `reconciliation-<id>`), for listing newest first. The lines live in a jsonb
 * column: a projection writes one row per event, and a run's lines arrive in a few progress events.
 */
export interface BillingReconciliationRow {
  [PrimaryKeyProp]?: 'reconciliationId';
  reconciliationId: string;
  periodFrom: Date;
  periodTo: Date;
  organizationId: string | null;
  periodSeconds: number;
  status: ReconciliationRunStatus;
  /** Progress: organizations replayed and events read so far. */
  organizationsRead: number;
  eventsRead: number;
  failure: string | null;
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
    status: { type: 'string', columnType: 'text' },
    organizationsRead: { type: 'integer', columnType: 'integer' },
    eventsRead: { type: new BigIntType('number'), columnType: 'bigint' },
    failure: { type: 'string', columnType: 'text', nullable: true },
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
