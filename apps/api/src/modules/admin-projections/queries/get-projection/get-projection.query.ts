import { Query } from '@nestjs/cqrs';
import type { ProjectionViewDto } from '../../shared/projection-view';

/** One projection by name (a known one: the controller answers 404 first). */
export class GetProjectionQuery extends Query<ProjectionViewDto> {
  constructor(readonly name: string) {
    super();
  }
}
