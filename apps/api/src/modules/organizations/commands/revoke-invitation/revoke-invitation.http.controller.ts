import { Controller, Delete, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { isUuid, type OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { ApiError } from '../../../../shared/errors/api-error';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RevokeInvitationCommand } from './revoke-invitation.command';

export class InvitationRevokedResponseDto extends PositionedResponseDto {
  @ApiProperty({ format: 'uuid' }) invitationId!: string;
}

@ApiTags('organizations')
@Controller('organizations/:orgId/invitations/:invitationId')
export class RevokeInvitationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Its link stops working at once. */
  @Delete()
  @ApiOperation({ summary: 'Revoke an invitation' })
  @RequirePermission('members_manage')
  @ApiParam({ name: 'invitationId', format: 'uuid' })
  @ApiOkResponse({ type: InvitationRevokedResponseDto })
  @ApiErrorResponses({
    404: 'invitation_not_found',
    410: 'invitation_accepted, invitation_declined, invitation_revoked, invitation_expired',
  })
  async revoke(
    @Param('invitationId') invitationId: string,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<InvitationRevokedResponseDto> {
    if (!isUuid(invitationId)) {
      throw new ApiError(404, 'invitation_not_found', 'No such invitation in this organization');
    }
    const result = await this.commandBus.execute(
      new RevokeInvitationCommand(membership.organizationId, invitationId.toLowerCase(), context),
    );
    return { invitationId: result.invitationId, position: positionText(result.position) };
  }
}
