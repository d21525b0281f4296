import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RenameOrganizationCommand } from './rename-organization.command';
import {
  OrganizationRenamedResponseDto,
  RenameOrganizationRequestDto,
} from './rename-organization.request.dto';

@ApiTags('organizations')
@Controller('organizations/:orgId')
export class RenameOrganizationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Patch()
  @ApiOperation({ summary: 'Rename an organization' })
  @RequirePermission('settings_manage')
  @ApiOkResponse({ type: OrganizationRenamedResponseDto })
  async rename(
    @Param('orgId') _orgId: string,
    @Body() body: RenameOrganizationRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<OrganizationRenamedResponseDto> {
    const result = await this.commandBus.execute(
      new RenameOrganizationCommand(membership.organizationId, body.name, context),
    );
    return {
      organizationId: result.organizationId,
      name: result.name,
      position: positionText(result.position),
    };
  }
}
