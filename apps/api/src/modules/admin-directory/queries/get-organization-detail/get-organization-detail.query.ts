import { Query } from '@nestjs/cqrs';
import type { AdminOrganizationDetailDto } from '../../shared/directory.dto';

/** Staff: one organization with its wallet, members, servers and newest ledger entries (null when unknown). */
export class GetOrganizationDetailQuery extends Query<AdminOrganizationDetailDto | null> {
  constructor(readonly organizationId: string) {
    super();
  }
}
