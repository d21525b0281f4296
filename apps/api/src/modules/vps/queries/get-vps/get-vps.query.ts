import { Query } from '@nestjs/cqrs';
import type { VpsDetailDto } from '../../shared/vps.dto';

export class GetVpsQuery extends Query<VpsDetailDto> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
  ) {
    super();
  }
}
