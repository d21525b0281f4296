import { Query } from '@nestjs/cqrs';
import type { ReconciliationSummary } from '@stratus/domain';
import type { ReconciliationRunStatus } from '@stratus/projections';

export interface ReconciliationListItem {
  reconciliationId: string;
  from: string;
  to: string;
  organizationId: string | null;
  periodSeconds: number;
  /** A run replays in the background: running, then completed (or failed, with `failure`). */
  status: ReconciliationRunStatus;
  /** How far the replay got: organizations replayed and events read (summary and lines: so far). */
  progress: { organizations: number; eventsRead: number };
  failure: string | null;
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
