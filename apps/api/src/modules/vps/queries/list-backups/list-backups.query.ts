import { Query } from '@nestjs/cqrs';
import type { VpsBackupsDto } from '../../shared/backups-firewall.dto';

export class ListBackupsQuery extends Query<VpsBackupsDto> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
  ) {
    super();
  }
}
