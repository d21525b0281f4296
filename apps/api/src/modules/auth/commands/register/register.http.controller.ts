import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiTags, ApiOperation } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { laterPosition, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { RateLimit } from '../../../../shared/rate-limit/rate-limit.decorator';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { AccountLinks } from '../../shared/account-links';
import { SessionTokens } from '../../shared/session-tokens';
import { userDto } from '../../user.dto';
import { RegisterCommand } from './register.command';
import { RegisterRequestDto, RegisterResponseDto } from './register.request.dto';

@ApiTags('auth')
@Controller('auth')
export class RegisterHttpController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly sessions: SessionTokens,
    private readonly accounts: AccountLinks,
  ) {}

  @Post('register')
  @ApiOperation({ summary: 'Register an account' })
  @Public()
  @HttpCode(201)
  @ApiCreatedResponse({ type: RegisterResponseDto })
  @RateLimit('registration')
  @ApiErrorResponses({
    409: 'email_taken',
    429: 'rate_limited (registrations from this address: RATE_LIMIT_REGISTRATION), with Retry-After',
  })
  async register(
    @Body() body: RegisterRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<RegisterResponseDto> {
    const result = await this.commandBus.execute(
      new RegisterCommand(body.email, body.password, body.name, context),
    );
    const organization = result.organization!;
    // The link is mailed (a reaction to the event); signing in does not wait for it.
    const verification = await this.accounts.requestEmailVerification(result.user.userId, context);
    const session = await this.sessions.start(result.user, context);
    return {
      token: session.token,
      user: userDto(result.user),
      organization: { id: organization.organizationId, name: organization.name, role: 'owner' },
      position: positionText(laterPosition(laterPosition(result.position, verification), session.position)),
    };
  }
}
