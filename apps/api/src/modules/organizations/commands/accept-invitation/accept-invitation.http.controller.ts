import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { INVITATION_LINK_ERRORS, InvitationAnsweredResponseDto } from '../../shared/invitation.dto';
import { AcceptInvitationCommand } from './accept-invitation.command';

@ApiTags('invitations')
@ApiBearerAuth()
@Controller('invitations/:token/accept')
export class AcceptInvitationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Accept an invitation (join the organization)' })
  @HttpCode(200)
  @ApiParam({ name: 'token', description: 'The token of the mailed link' })
  @ApiOkResponse({ type: InvitationAnsweredResponseDto })
  @ApiErrorResponses({ ...INVITATION_LINK_ERRORS, 409: 'already_member' })
  async accept(
    @Param('token') token: string,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<InvitationAnsweredResponseDto> {
    const result = await this.commandBus.execute(new AcceptInvitationCommand(token, user.userId, context));
    return { ...result, position: positionText(result.position) };
  }
}
