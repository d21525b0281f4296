import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { queryEventLogPage, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListEventsQuery, type ListEventsResult } from './list-events.query';

@QueryHandler(ListEventsQuery)
export class ListEventsHandler implements IQueryHandler<ListEventsQuery, ListEventsResult> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ request }: ListEventsQuery): Promise<ListEventsResult> {
    const page = await queryEventLogPage(this.orm.em.getConnection().getKnex(), request);
    return { ...page, direction: request.direction, limit: request.limit };
  }
}
