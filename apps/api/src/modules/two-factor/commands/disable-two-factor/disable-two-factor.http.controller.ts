import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { DisableTwoFactorCommand } from './disable-two-factor.command';
import { DisableTwoFactorRequestDto } from './disable-two-factor.request.dto';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/2fa')
export class DisableTwoFactorHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('disable')
  @ApiOperation({ summary: 'Turn two-factor authentication off (password and a current code)' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @ApiOkResponse({ type: PositionedResponseDto })
  @ApiErrorResponses({
    400: 'invalid_password, invalid_two_factor_code, two_factor_code_reused (each counts as a failed attempt)',
    409: 'two_factor_not_enabled',
    429: 'too_many_attempts, with Retry-After',
  })
  async disable(
    @Body() body: DisableTwoFactorRequestDto,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<PositionedResponseDto> {
    const result = await this.commandBus.execute(
      new DisableTwoFactorCommand(user.userId, body.password, body.code, context),
    );
    return { position: positionText(result.position) };
  }
}
