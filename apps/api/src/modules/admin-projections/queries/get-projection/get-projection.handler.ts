import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { ProjectionOverview } from '../../shared/projection-overview.service';
import type { ProjectionViewDto } from '../../shared/projection-view';
import { GetProjectionQuery } from './get-projection.query';

@QueryHandler(GetProjectionQuery)
export class GetProjectionHandler implements IQueryHandler<GetProjectionQuery, ProjectionViewDto> {
  constructor(private readonly overview: ProjectionOverview) {}

  async execute(query: GetProjectionQuery): Promise<ProjectionViewDto> {
    const [view] = await this.overview.list(query.name);
    return view;
  }
}
