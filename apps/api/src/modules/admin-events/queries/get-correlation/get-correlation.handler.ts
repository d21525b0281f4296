import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { queryEventLogPage, type EventLogPage, type ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { GetCorrelationQuery } from './get-correlation.query';

@QueryHandler(GetCorrelationQuery)
export class GetCorrelationHandler implements IQueryHandler<GetCorrelationQuery, EventLogPage> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetCorrelationQuery): Promise<EventLogPage> {
    const page = await queryEventLogPage(this.orm.em.getConnection().getKnex(), {
      filter: { correlationId: query.correlationId },
      direction: 'forwards',
      cursor: query.after,
      limit: query.limit,
    });
    if (page.items.length === 0 && query.after === null) {
      throw new ApiError(404, 'correlation_not_found', 'No events carry this correlation id', {
        correlationId: query.correlationId,
      });
    }
    return page;
  }
}
