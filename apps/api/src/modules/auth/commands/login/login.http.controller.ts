import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../../shared/auth/public.decorator';
import { TokenService } from '../../../../shared/auth/token.service';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { userDto } from '../../user.dto';
import { LoginCommand } from './login.command';
import { LoginRequestDto, LoginResponseDto } from './login.request.dto';

@ApiTags('auth')
@Controller('auth')
export class LoginHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly tokens: TokenService,
  ) {}

  @Post('login')
  @ApiOperation({ summary: 'Log in' })
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiErrorResponses({ 401: 'invalid_credentials', 429: 'too_many_attempts, with Retry-After' })
  async login(@Body() body: LoginRequestDto, @Req() req: Request): Promise<LoginResponseDto> {
    const user = await this.commandBus.execute(
      new LoginCommand(body.email, body.password, req.ip ?? 'unknown'),
    );
    return { token: this.tokens.issue(user), user: userDto(user) };
  }
}
