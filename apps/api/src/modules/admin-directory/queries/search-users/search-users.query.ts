import { Query } from '@nestjs/cqrs';
import type { AdminUserSummaryDto } from '../../shared/directory.dto';

/** Staff: users whose name or email contains `q`, or whose id is `q`; newest first. */
export class SearchUsersQuery extends Query<AdminUserSummaryDto[]> {
  constructor(
    readonly q: string,
    readonly limit: number,
  ) {
    super();
  }
}
