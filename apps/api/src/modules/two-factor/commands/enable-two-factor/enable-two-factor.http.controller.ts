import { Body, Controller, Header, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { EnableTwoFactorCommand } from './enable-two-factor.command';
import { EnableTwoFactorRequestDto, EnableTwoFactorResponseDto } from './enable-two-factor.request.dto';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/2fa')
export class EnableTwoFactorHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('enable')
  // The answer holds a secret (the TOTP key, the recovery codes): never kept by a cache.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Turn two-factor authentication on with a code; get the recovery codes' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @ApiOkResponse({ type: EnableTwoFactorResponseDto })
  @ApiErrorResponses({
    400: 'invalid_two_factor_code',
    409: 'two_factor_setup_required (call setup first), two_factor_already_enabled',
  })
  async enable(
    @Body() body: EnableTwoFactorRequestDto,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<EnableTwoFactorResponseDto> {
    const result = await this.commandBus.execute(new EnableTwoFactorCommand(user.userId, body.code, context));
    return { recoveryCodes: result.recoveryCodes, position: positionText(result.position) };
  }
}
