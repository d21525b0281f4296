import { Controller, Get, Query as QueryParams } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { OrganizationTransferDto, TransferMonthRequestDto } from '../../shared/transfer.dto';
import { GetOrganizationTransferQuery } from './get-organization-transfer.query';

@ApiTags('organizations')
@Controller('organizations/:orgId/transfer')
export class GetOrganizationTransferHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({
    summary:
      "Get the organization's pooled network transfer of a month: usage, allowance, overage and its price",
  })
  @RequirePermission('vps_view')
  @ApiOkResponse({ type: OrganizationTransferDto })
  get(
    @QueryParams() params: TransferMonthRequestDto,
    @Membership() membership: OrganizationMembership,
  ): Promise<OrganizationTransferDto> {
    return this.queryBus.execute(
      new GetOrganizationTransferQuery(membership.organizationId, params.month ?? null),
    );
  }
}
