import { Controller, Delete, HttpCode } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, sessionOf, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { SessionsRevokedResponseDto } from '../revoke-session/revoke-session.http.controller';
import { RevokeOtherSessionsCommand } from './revoke-other-sessions.command';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/sessions')
export class RevokeOtherSessionsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete()
  @ApiOperation({ summary: 'Sign out everywhere else' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @ApiOkResponse({ type: SessionsRevokedResponseDto })
  async revokeOthers(
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<SessionsRevokedResponseDto> {
    const result = await this.commandBus.execute(
      new RevokeOtherSessionsCommand(user.userId, sessionOf(user), context),
    );
    return { revokedSessionIds: result.revokedSessionIds, position: positionText(result.position) };
  }
}
