import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { ApiError } from '../../../../shared/errors/api-error';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { LoginResponseDto } from '../login/login.request.dto';
import { userDto } from '../../user.dto';
import { SessionTokens } from '../../shared/session-tokens';
import { CompleteMfaLoginCommand } from './complete-mfa-login.command';
import { CompleteMfaLoginRequestDto } from './complete-mfa-login.request.dto';

@ApiTags('auth')
@Controller('auth/login')
export class CompleteMfaLoginHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sessions: SessionTokens,
  ) {}

  @Post('mfa')
  @ApiOperation({ summary: 'Finish a sign-in with a two-factor code or a recovery code' })
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrorResponses({
    400: 'invalid_two_factor_code, two_factor_code_reused, invalid_recovery_code, invalid_two_factor_proof (give exactly one of code and recoveryCode)',
    401: 'invalid_mfa_token, mfa_token_expired, too_many_attempts (this sign-in had its 5 attempts): sign in again',
    429: 'too_many_attempts (the account, across sign-ins), with Retry-After',
  })
  async complete(
    @Body() body: CompleteMfaLoginRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<LoginResponseDto> {
    if ((body.code === undefined) === (body.recoveryCode === undefined)) {
      throw ApiError.badRequest('invalid_two_factor_proof', 'Give either a code or a recovery code', {
        field: 'code',
      });
    }
    const proof =
      body.code !== undefined ? { code: body.code } : { recoveryCode: body.recoveryCode as string };
    const user = await this.commandBus.execute(new CompleteMfaLoginCommand(body.mfaToken, proof, context));
    const session = await this.sessions.start(user, context);
    return { token: session.token, user: userDto(user) };
  }
}
