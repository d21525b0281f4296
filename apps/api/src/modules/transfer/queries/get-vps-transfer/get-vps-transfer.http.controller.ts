import { Controller, Get, Param, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { TransferMonthRequestDto, VpsTransferDto } from '../../shared/transfer.dto';
import { GetVpsTransferQuery } from './get-vps-transfer.query';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/transfer')
export class GetVpsTransferHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "Get a server's network transfer of a month (bytes, its quota, each day)" })
  @RequirePermission('vps_view')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiOkResponse({ type: VpsTransferDto })
  get(
    @Param('vpsId') vpsId: string,
    @QueryParams() params: TransferMonthRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<VpsTransferDto> {
    return this.queryBus.execute(
      new GetVpsTransferQuery(membership.organizationId, vpsId, params.month ?? null),
    );
  }
}
