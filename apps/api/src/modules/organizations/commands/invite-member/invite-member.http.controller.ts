import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { InviteMemberCommand } from './invite-member.command';
import { InvitationCreatedResponseDto, InviteMemberRequestDto } from './invite-member.request.dto';

@ApiTags('organizations')
@Controller('organizations/:orgId/invitations')
export class InviteMemberHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /**
   * Mails the address a link to accept, valid for seven days. The answer is the same whether or not the address
   * has an account; nobody becomes a member without accepting.
   */
  @Post()
  @ApiOperation({ summary: 'Invite someone by email' })
  @HttpCode(201)
  @RequirePermission('members_manage')
  @ApiCreatedResponse({ type: InvitationCreatedResponseDto })
  @ApiErrorResponses({
    400: 'invalid_role: no such role in this organization; invalid_email',
    403: 'permission_not_held: the role has permissions you do not hold',
    409: 'already_member; already_invited: a pending invitation to this address; too_many_invitations',
  })
  async invite(
    @Param('orgId') _orgId: string,
    @Body() body: InviteMemberRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<InvitationCreatedResponseDto> {
    const result = await this.commandBus.execute(
      new InviteMemberCommand(membership.organizationId, body.email, body.role, context),
    );
    return { ...result, position: positionText(result.position) };
  }
}
