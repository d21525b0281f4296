import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { UpdateBillingProfileCommand } from './update-billing-profile.command';
import {
  BillingProfileUpdatedResponseDto,
  UpdateBillingProfileRequestDto,
} from './update-billing-profile.request.dto';

@ApiTags('invoices')
@Controller('organizations/:orgId/billing-profile')
export class UpdateBillingProfileHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({ summary: "Replace the organization's billing profile" })
  @RequirePermission('billing_manage')
  @ApiOkResponse({ type: BillingProfileUpdatedResponseDto })
  async update(
    @Param('orgId') _orgId: string,
    @Body() body: UpdateBillingProfileRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<BillingProfileUpdatedResponseDto> {
    const result = await this.commandBus.execute(
      new UpdateBillingProfileCommand(membership.organizationId, body, context),
    );
    return { profile: result.profile, position: positionText(result.position) };
  }
}
