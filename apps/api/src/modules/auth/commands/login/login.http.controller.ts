import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../../shared/auth/public.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { SessionTokens } from '../../shared/session-tokens';
import { userDto } from '../../user.dto';
import { LoginCommand } from './login.command';
import { LoginRequestDto, LoginResponseDto } from './login.request.dto';

@ApiTags('auth')
@Controller('auth')
export class LoginHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sessions: SessionTokens,
  ) {}

  @Post('login')
  @ApiOperation({ summary: 'Log in' })
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrorResponses({ 401: 'invalid_credentials', 429: 'too_many_attempts, with Retry-After' })
  async login(
    @Body() body: LoginRequestDto,
    @Req() req: Request,
    @Ctx() context: CommandContext,
  ): Promise<LoginResponseDto> {
    const user = await this.commandBus.execute(
      new LoginCommand(body.email, body.password, req.ip ?? 'unknown'),
    );
    const session = await this.sessions.start(user, context);
    return { token: session.token, user: userDto(user) };
  }
}
