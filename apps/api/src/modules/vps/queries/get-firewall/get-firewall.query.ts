import { Query } from '@nestjs/cqrs';
import type { VpsFirewallDto } from '../../shared/backups-firewall.dto';

export class GetFirewallQuery extends Query<VpsFirewallDto> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
  ) {
    super();
  }
}
