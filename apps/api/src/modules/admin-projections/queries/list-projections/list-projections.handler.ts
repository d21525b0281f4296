import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProjectionOverview } from '../../shared/projection-overview.service';
import type { ProjectionViewDto } from '../../shared/projection-view';
import { ListProjectionsQuery } from './list-projections.query';

@QueryHandler(ListProjectionsQuery)
export class ListProjectionsHandler implements IQueryHandler<ListProjectionsQuery, ProjectionViewDto[]> {
  constructor(private readonly overview: ProjectionOverview) {}

  execute(): Promise<ProjectionViewDto[]> {
    return this.overview.list();
  }
}
