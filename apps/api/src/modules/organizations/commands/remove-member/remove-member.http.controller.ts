import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiParam, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Membership, RequireMembership } from '../../../../shared/auth/require-permission.decorator';
import { isUuid, type OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { MemberChangedResponseDto } from '../../shared/member-changed.response.dto';
import { RemoveMemberCommand } from './remove-member.command';

@ApiTags('organizations')
@Controller('organizations/:orgId/members/:userId')
export class RemoveMemberHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** members_manage, or any member removing themself (leaving). The last owner cannot go: 409. */
  @Delete()
  @ApiOperation({ summary: 'Remove a member' })
  @RequireMembership()
  @ApiParam({ name: 'userId', format: 'uuid' })
  @ApiOkResponse({ type: MemberChangedResponseDto })
  async remove(
    @Param('userId') userId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<MemberChangedResponseDto> {
    if (!isUuid(userId)) throw new ApiError(404, 'member_not_found', 'No such member in this organization');
    const result = await this.commandBus.execute(
      new RemoveMemberCommand(membership.organizationId, userId.toLowerCase(), context),
    );
    return { ...result, position: positionText(result.position) };
  }
}
