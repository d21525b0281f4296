import { Query } from '@nestjs/cqrs';
import type { ReconciliationLineKind } from '@stratus/domain';
import type { ReconciliationLineView } from '@stratus/projections';
import type { ReconciliationListItem } from '../list-reconciliations/list-reconciliations.query';

export interface ReconciliationDetail extends ReconciliationListItem {
  lines: ReconciliationLineView[];
}

/** One stored run with its lines (optionally of some kinds only). */
export class GetReconciliationQuery extends Query<ReconciliationDetail> {
  constructor(
    readonly reconciliationId: string,
    readonly kinds: readonly ReconciliationLineKind[] | null,
  ) {
    super();
  }
}
