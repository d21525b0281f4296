import { Controller, Get } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { FirewallPolicyDto } from '../../admin-firewall.dto';
import { GetFirewallPolicyQuery } from './get-firewall-policy.query';

@ApiTags('admin')
@Controller('admin/firewall-policy')
export class GetFirewallPolicyHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'The default inbound firewall policy of servers without rules of their own' })
  @RequirePlatformAdmin()
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: FirewallPolicyDto })
  get(): Promise<FirewallPolicyDto> {
    return this.queryBus.execute(new GetFirewallPolicyQuery());
  }
}
