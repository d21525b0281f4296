import { Query } from '@nestjs/cqrs';
import type { OrganizationTransferDto } from '../../shared/transfer.dto';

/** The organization's pooled network transfer of a month (the current one when `month` is null). */
export class GetOrganizationTransferQuery extends Query<OrganizationTransferDto> {
  constructor(
    readonly organizationId: string,
    readonly month: string | null,
  ) {
    super();
  }
}
