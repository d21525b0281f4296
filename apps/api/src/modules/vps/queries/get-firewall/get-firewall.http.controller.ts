import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { VpsFirewallDto } from '../../shared/backups-firewall.dto';
import { GetFirewallQuery } from './get-firewall.query';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/firewall')
export class GetFirewallHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "The server's inbound firewall rules in effect" })
  @RequirePermission('vps_view')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: VpsFirewallDto })
  @ApiErrorResponses({ 404: 'vps_not_found' })
  get(
    @Param('vpsId') vpsId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<VpsFirewallDto> {
    return this.queryBus.execute(new GetFirewallQuery(membership.organizationId, vpsId));
  }
}
