import { Query } from '@nestjs/cqrs';
import type { VpsTransferDto } from '../../shared/transfer.dto';

/** A server's network transfer of a month (the current one when `month` is null). */
export class GetVpsTransferQuery extends Query<VpsTransferDto> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly month: string | null,
  ) {
    super();
  }
}
