import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiPropertyOptional, ApiTags, ApiOperation } from '@nestjs/swagger';
import { VPS_STATUSES, type VpsStatus } from '@stratus/projections';
import { IsIn, IsOptional } from 'class-validator';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { VpsSummaryDto } from '../../shared/vps.dto';
import { ListVpsQuery } from './list-vps.query';

export class ListVpsRequestDto {
  @ApiPropertyOptional({ enum: VPS_STATUSES })
  @IsOptional()
  @IsIn(VPS_STATUSES, { message: `status must be one of ${VPS_STATUSES.join(', ')}` })
  status?: VpsStatus;
}

@ApiTags('vps')
@Controller('organizations/:orgId/vps')
export class ListVpsHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: 'List servers' })
  @RequirePermission('vps_view')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: [VpsSummaryDto] })
  list(
    @Param('orgId') _orgId: string,
    @QueryParams() params: ListVpsRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<VpsSummaryDto[]> {
    return this.queryBus.execute(new ListVpsQuery(membership.organizationId, params.status ?? null));
  }
}
