import { Query } from '@nestjs/cqrs';
import type { AdminUserDetailDto } from '../../shared/directory.dto';

/** Staff: one user and the organizations they belong to (null when unknown). */
export class GetUserQuery extends Query<AdminUserDetailDto | null> {
  constructor(readonly userId: string) {
    super();
  }
}
