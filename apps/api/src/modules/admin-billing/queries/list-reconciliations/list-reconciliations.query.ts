import { Query } from '@nestjs/cqrs';
import type { ReconciliationSummary } from '@stratus/domain';

export interface ReconciliationListItem {
  reconciliationId: string;
  from: string;
  to: string;
  organizationId: string | null;
  periodSeconds: number;
  summary: ReconciliationSummary;
  discrepancies: number;
  resolved: number;
  createdBy: string;
  createdAt: string;
}

export interface ReconciliationList {
  items: ReconciliationListItem[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextCursor: string | null;
}

/** Stored runs, newest first, keyset-paged. */
export class ListReconciliationsQuery extends Query<ReconciliationList> {
  constructor(
    readonly limit: number,
    readonly before: { createdAt: Date; reconciliationId: string } | null,
  ) {
    super();
  }
}
