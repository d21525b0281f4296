import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { AccountLinks } from '../../shared/account-links';
import { AuthThrottle, throttleKeys } from '../../shared/auth-throttle.service';
import { RequestPasswordResetRequestDto } from './request-password-reset.request.dto';

@ApiTags('auth')
@Controller('auth/password-reset')
export class RequestPasswordResetHttpController {
  constructor(
    private readonly accounts: AccountLinks,
    private readonly users: UserDirectory,
    private readonly throttle: AuthThrottle,
  ) {}

  /**
   * Always 202, whether or not the address has an account (no enumeration); a link is mailed when it does,
   * at most as often as the per-account limit allows (beyond it, silently nothing).
   */
  @Post()
  @ApiOperation({ summary: 'Mail a password reset link' })
  @Public()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'If the address has an account, a reset link is on its way' })
  @ApiErrorResponses({ 429: 'too_many_attempts (requests from this address), with Retry-After' })
  async request(@Body() body: RequestPasswordResetRequestDto, @Ctx() context: CommandContext): Promise<void> {
    const { passwordResetAddress, passwordResetAccount } = this.throttle.options;
    await this.throttle.reserveAll(
      [[throttleKeys.passwordResetAddress(context.actor.ip ?? 'unknown'), passwordResetAddress]],
      'Too many password reset requests from this address; try again later',
    );
    const account = await this.throttle.reserve(
      throttleKeys.passwordResetAccount(body.email),
      passwordResetAccount,
    );
    if ('retryAfterSeconds' in account) return;
    const user = await this.users.findByEmail(body.email.trim().toLowerCase());
    if (!user) return;
    context.actingAs(user.userId, user.platformRole);
    await this.accounts.requestPasswordReset(user.userId, context);
  }
}
