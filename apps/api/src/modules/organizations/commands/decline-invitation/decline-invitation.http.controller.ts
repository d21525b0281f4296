import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { INVITATION_LINK_ERRORS, InvitationAnsweredResponseDto } from '../../shared/invitation.dto';
import { DeclineInvitationCommand } from './decline-invitation.command';

@ApiTags('invitations')
@ApiBearerAuth()
@Controller('invitations/:token/decline')
export class DeclineInvitationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @ApiOperation({ summary: 'Decline an invitation' })
  @HttpCode(200)
  @ApiParam({ name: 'token', description: 'The token of the mailed link' })
  @ApiOkResponse({ type: InvitationAnsweredResponseDto })
  @ApiErrorResponses({ ...INVITATION_LINK_ERRORS })
  async decline(
    @Param('token') token: string,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<InvitationAnsweredResponseDto> {
    const result = await this.commandBus.execute(new DeclineInvitationCommand(token, user.userId, context));
    return { ...result, position: positionText(result.position) };
  }
}
