import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { BillingReconciliationEntity, type ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { GetReconciliationQuery, type ReconciliationDetail } from './get-reconciliation.query';

@QueryHandler(GetReconciliationQuery)
export class GetReconciliationHandler implements IQueryHandler<GetReconciliationQuery, ReconciliationDetail> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetReconciliationQuery): Promise<ReconciliationDetail> {
    const row = await this.orm.em
      .fork()
      .findOne(BillingReconciliationEntity, { reconciliationId: query.reconciliationId });
    if (!row) throw new ApiError(404, 'reconciliation_not_found', 'Reconciliation not found');
    const kinds = query.kinds ? new Set<string>(query.kinds) : null;
    return {
      reconciliationId: row.reconciliationId,
      from: row.periodFrom.toISOString(),
      to: row.periodTo.toISOString(),
      organizationId: row.organizationId,
      periodSeconds: row.periodSeconds,
      status: row.status,
      progress: { organizations: row.organizationsRead, eventsRead: row.eventsRead },
      failure: row.failure,
      summary: row.summary,
      discrepancies: row.discrepancyCount,
      resolved: row.resolvedCount,
      createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(),
      lines: kinds ? row.lines.filter((line) => kinds.has(line.kind)) : row.lines,
    };
  }
}
