import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../../shared/auth/public.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { MfaChallenges } from '../../../two-factor/mfa-challenges.service';
import { SessionTokens } from '../../shared/session-tokens';
import { userDto } from '../../user.dto';
import { LoginCommand } from './login.command';
import { LoginRequestDto, LoginResponseDto, MfaRequiredResponseDto } from './login.request.dto';

@ApiTags('auth')
@Controller('auth')
export class LoginHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sessions: SessionTokens,
    private readonly mfaChallenges: MfaChallenges,
  ) {}

  @Post('login')
  @ApiOperation({ summary: 'Log in' })
  @Public()
  @HttpCode(200)
  @ApiExtraModels(LoginResponseDto, MfaRequiredResponseDto)
  @ApiOkResponse({
    description: 'A session, or (2FA on) the mfaToken for POST /api/auth/login/mfa',
    schema: {
      oneOf: [{ $ref: getSchemaPath(LoginResponseDto) }, { $ref: getSchemaPath(MfaRequiredResponseDto) }],
    },
  })
  @ApiErrorResponses({
    401: 'invalid_credentials',
    429: 'too_many_attempts (failed passwords, or failed second factors of this account), with Retry-After',
  })
  async login(
    @Body() body: LoginRequestDto,
    @Req() req: Request,
    @Ctx() context: CommandContext,
  ): Promise<LoginResponseDto | MfaRequiredResponseDto> {
    const user = await this.commandBus.execute(
      new LoginCommand(body.email, body.password, req.ip ?? 'unknown'),
    );
    // With 2FA on, the password alone opens no session: the second step (POST /api/auth/login/mfa) does.
    const mfaToken = await this.mfaChallenges.startIfEnabled(user, context);
    if (mfaToken) return { mfaRequired: true, mfaToken };
    const session = await this.sessions.start(user, context);
    return { token: session.token, user: userDto(user) };
  }
}
