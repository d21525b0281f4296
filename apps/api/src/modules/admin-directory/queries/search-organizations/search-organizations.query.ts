import { Query } from '@nestjs/cqrs';
import type { AdminOrganizationSummaryDto } from '../../shared/directory.dto';

/** Staff: organizations whose name contains `q`, whose id is `q`, or with a member whose email contains `q`. */
export class SearchOrganizationsQuery extends Query<AdminOrganizationSummaryDto[]> {
  constructor(
    readonly q: string,
    readonly limit: number,
  ) {
    super();
  }
}
