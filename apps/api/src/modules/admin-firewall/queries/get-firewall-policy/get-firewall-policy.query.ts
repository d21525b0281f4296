import { Query } from '@nestjs/cqrs';
import type { FirewallPolicyDto } from '../../admin-firewall.dto';

export class GetFirewallPolicyQuery extends Query<FirewallPolicyDto> {}
