import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { BillingReconciliationEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListReconciliationsQuery, type ReconciliationList } from './list-reconciliations.query';

export const encodeReconciliationCursor = (createdAt: Date, reconciliationId: string) =>
  Buffer.from(`${createdAt.toISOString()}|${reconciliationId}`, 'utf8').toString('base64url');

@QueryHandler(ListReconciliationsQuery)
export class ListReconciliationsHandler implements IQueryHandler<
  ListReconciliationsQuery,
  ReconciliationList
> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListReconciliationsQuery): Promise<ReconciliationList> {
    const where = query.before
      ? {
          $or: [
            { createdAt: { $lt: query.before.createdAt } },
            { createdAt: query.before.createdAt, reconciliationId: { $lt: query.before.reconciliationId } },
          ],
        }
      : {};
    // The lines (jsonb, possibly large) are not read for a list.
    const rows = await this.orm.em.fork().find(BillingReconciliationEntity, where, {
      orderBy: { createdAt: 'desc', reconciliationId: 'desc' },
      limit: query.limit + 1,
      exclude: ['lines'],
    } as never);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
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
      })),
      nextCursor:
        rows.length > query.limit && last
          ? encodeReconciliationCursor(last.createdAt, last.reconciliationId)
          : null,
    };
  }
}
