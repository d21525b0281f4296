import { Body, Controller, Param, Patch } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { isUuid, type OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { MemberChangedResponseDto } from '../../shared/member-changed.response.dto';
import { ChangeMemberRoleCommand } from './change-member-role.command';
import { ChangeMemberRoleRequestDto } from './change-member-role.request.dto';

@ApiTags('organizations')
@Controller('organizations/:orgId/members/:userId')
export class ChangeMemberRoleHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * members_manage, and the caller must hold every permission of the member's current and new role (the decider's
   * rule): a team lead with a custom role cannot promote anyone above themself, nor demote an owner.
   */
  @Patch()
  @ApiOperation({ summary: "Change a member's role" })
  @RequirePermission('members_manage')
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiOkResponse({ type: MemberChangedResponseDto })
  async change(
    @Param('userId') userId: string,
    @Body() body: ChangeMemberRoleRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<MemberChangedResponseDto> {
    if (!isUuid(userId)) throw new ApiError(404, 'member_not_found', 'No such member in this organization');
    const result = await this.commandBus.execute(
      new ChangeMemberRoleCommand(membership.organizationId, userId.toLowerCase(), body.role, context),
    );
    return { ...result, position: positionText(result.position) };
  }
}
