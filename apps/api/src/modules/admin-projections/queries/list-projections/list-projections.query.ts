import { Query } from '@nestjs/cqrs';
import type { ProjectionViewDto } from '../../shared/projection-view';

/** Every projection: checkpoint, lag, status, and its rebuild in progress or last one. */
export class ListProjectionsQuery extends Query<ProjectionViewDto[]> {}
