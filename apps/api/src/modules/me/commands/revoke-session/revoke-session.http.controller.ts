import { Controller, Delete, HttpCode, Param } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { RevokeSessionCommand } from './revoke-session.command';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

export class SessionsRevokedResponseDto extends PositionedResponseDto {
  @ApiProperty({ type: [String], description: 'The sessions ended (their tokens are refused from now on)' })
  revokedSessionIds!: string[];
}

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/sessions/:sessionId')
export class RevokeSessionHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Delete()
  @ApiOperation({ summary: 'Sign out one of my sessions' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @ApiParam({ name: 'sessionId', format: 'uuid' })
  @ApiOkResponse({ type: SessionsRevokedResponseDto })
  @ApiErrorResponses({ 404: 'session_not_found: not one of your open sessions' })
  async revoke(
    @Param('sessionId') sessionId: string,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<SessionsRevokedResponseDto> {
    const result = await this.commandBus.execute(new RevokeSessionCommand(user.userId, sessionId, context));
    return { revokedSessionIds: result.revokedSessionIds, position: positionText(result.position) };
  }
}
