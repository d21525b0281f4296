import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, sessionOf, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { StopImpersonationCommand } from '../../../impersonation/commands/stop-impersonation/stop-impersonation.command';
import { RevokeSessionCommand } from '../../../me/commands/revoke-session/revoke-session.command';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth')
export class LogoutHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Ends the token's session on the server: the token is refused afterwards, by every API instance. */
  @Post('logout')
  @ApiOperation({ summary: 'Log out (end this session)' })
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'The session is ended' })
  async logout(@CurrentUser() user: AuthenticatedUser, @Ctx() context: CommandContext): Promise<void> {
    // Signing out of an impersonation ends it, on the record.
    await this.commandBus.execute(
      user.impersonatorId !== null
        ? new StopImpersonationCommand(user.userId, sessionOf(user), context)
        : new RevokeSessionCommand(user.userId, sessionOf(user), context),
    );
  }
}
