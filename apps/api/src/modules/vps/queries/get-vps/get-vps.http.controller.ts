import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { VpsDetailDto } from '../../shared/vps.dto';
import { GetVpsQuery } from './get-vps.query';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId')
export class GetVpsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'Get a server' })
  @RequirePermission('vps_view')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: VpsDetailDto })
  get(
    @Param('vpsId') vpsId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<VpsDetailDto> {
    return this.queryBus.execute(new GetVpsQuery(membership.organizationId, vpsId));
  }
}
