import { Query } from '@nestjs/cqrs';
import type { VpsStatus } from '@stratus/projections';
import type { VpsSummaryDto } from '../../shared/vps.dto';

/** The organization's servers, newest first, optionally of one status. */
export class ListVpsQuery extends Query<VpsSummaryDto[]> {
  constructor(
    readonly organizationId: string,
    readonly status: VpsStatus | null,
  ) {
    super();
  }
}
