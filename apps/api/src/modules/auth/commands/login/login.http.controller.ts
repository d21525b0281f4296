import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '../../../../shared/auth/public.decorator';
import { TokenService } from '../../../../shared/auth/token.service';
import { ErrorResponseDto } from '../../../../shared/http/error-response.dto';
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
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'invalid_credentials' })
  @ApiTooManyRequestsResponse({ type: ErrorResponseDto, description: 'too_many_attempts, with Retry-After' })
  async login(@Body() body: LoginRequestDto, @Req() req: Request): Promise<LoginResponseDto> {
    const user = await this.commandBus.execute(
      new LoginCommand(body.email, body.password, req.ip ?? 'unknown'),
    );
    return { token: this.tokens.issue(user), user: userDto(user) };
  }
}
