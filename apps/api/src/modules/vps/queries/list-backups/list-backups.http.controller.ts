import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { RateLimit } from '../../../../shared/rate-limit/rate-limit.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { VpsBackupsDto } from '../../shared/backups-firewall.dto';
import { ListBackupsQuery } from './list-backups.query';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/backups')
export class ListBackupsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "The server's backups and snapshot, as the provider has them" })
  @RequirePermission('vps_view')
  @RateLimit('providerReads')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiOkResponse({ type: VpsBackupsDto })
  @ApiErrorResponses({
    404: 'vps_not_found',
    409: 'vps_not_active: the server has no instance (provisioning, deleted…)',
    502: 'provider_error: the provider refused',
    429: 'rate_limited (backup reads of this server: RATE_LIMIT_PROVIDER_READS), with Retry-After',
    503: 'provider_unavailable: try again shortly',
  })
  list(
    @Param('vpsId') vpsId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<VpsBackupsDto> {
    return this.queryBus.execute(new ListBackupsQuery(membership.organizationId, vpsId));
  }
}
