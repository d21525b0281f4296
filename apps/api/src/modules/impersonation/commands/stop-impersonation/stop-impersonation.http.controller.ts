import { Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, sessionOf, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { ApiError } from '../../../../shared/errors/api-error';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { SessionsRevokedResponseDto } from '../../../me/commands/revoke-session/revoke-session.http.controller';
import { StopImpersonationCommand } from './stop-impersonation.command';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/impersonation/stop')
export class StopImpersonationHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  /** Ends this impersonation session: its token is refused from now on (the staff member's own session is untouched). */
  @Post()
  @ApiOperation({ summary: 'Stop impersonating' })
  @HttpCode(200)
  @ApiOkResponse({ type: SessionsRevokedResponseDto })
  @ApiErrorResponses({ 409: 'not_impersonating: this session is the user’s own' })
  async stop(
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<SessionsRevokedResponseDto> {
    if (user.impersonatorId === null) {
      throw new ApiError(409, 'not_impersonating', 'This session is not an impersonation');
    }
    const result = await this.commandBus.execute(
      new StopImpersonationCommand(user.userId, sessionOf(user), context),
    );
    return { revokedSessionIds: result.revokedSessionIds, position: positionText(result.position) };
  }
}
