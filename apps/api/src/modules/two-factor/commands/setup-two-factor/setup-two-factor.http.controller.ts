import { Controller, Header, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { SetupTwoFactorCommand } from './setup-two-factor.command';
import { TwoFactorSetupResponseDto } from './setup-two-factor.request.dto';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/2fa')
export class SetupTwoFactorHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post('setup')
  // The answer holds a secret (the TOTP key, the recovery codes): never kept by a cache.
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Start setting up two-factor authentication (a new TOTP secret)' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @ApiOkResponse({ type: TwoFactorSetupResponseDto })
  @ApiErrorResponses({ 409: 'two_factor_already_enabled' })
  setup(
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<TwoFactorSetupResponseDto> {
    return this.commandBus.execute(new SetupTwoFactorCommand(user.userId, context));
  }
}
