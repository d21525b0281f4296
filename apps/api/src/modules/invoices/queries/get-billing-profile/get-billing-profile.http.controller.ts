import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { MIN_POSITION_HEADER_DOC } from '../../../../shared/read-models/min-position.doc';
import { BillingProfileResponseDto } from '../../commands/update-billing-profile/update-billing-profile.request.dto';
import { GetBillingProfileQuery } from './get-billing-profile.query';

@ApiTags('invoices')
@Controller('organizations/:orgId/billing-profile')
export class GetBillingProfileHttpController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get()
  @ApiOperation({ summary: "Get the organization's billing profile" })
  @RequirePermission('billing_view')
  @ApiHeader(MIN_POSITION_HEADER_DOC)
  @ApiOkResponse({ type: BillingProfileResponseDto })
  get(
    @Param('orgId') _orgId: string,
    @Membership() membership: OrganizationMembership,
  ): Promise<BillingProfileResponseDto> {
    return this.queryBus.execute(new GetBillingProfileQuery(membership.organizationId));
  }
}
