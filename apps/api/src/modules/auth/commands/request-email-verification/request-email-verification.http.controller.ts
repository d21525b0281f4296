import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { AccountLinks } from '../../shared/account-links';
import { AuthThrottle, throttleKeys } from '../../shared/auth-throttle.service';

@ApiTags('auth')
@ApiBearerAuth()
@Controller('auth/email-verification/resend')
export class RequestEmailVerificationHttpController {
  constructor(
    private readonly accounts: AccountLinks,
    private readonly throttle: AuthThrottle,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Mail me a new verification link' })
  @HttpCode(202)
  @ApiAcceptedResponse({ type: PositionedResponseDto, description: 'A new link is on its way' })
  @ApiErrorResponses({
    409: 'email_already_verified',
    429: 'too_many_attempts (a link was sent moments ago), with Retry-After',
  })
  async resend(
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<PositionedResponseDto> {
    const reserved = await this.throttle.reserveAll(
      [[throttleKeys.verificationResend(user.userId), this.throttle.options.verificationResend]],
      'A verification link was sent moments ago; try again later',
    );
    try {
      return { position: positionText(await this.accounts.requestEmailVerification(user.userId, context)) };
    } catch (error) {
      await this.throttle.release(reserved); // nothing was sent (already verified)
      throw error;
    }
  }
}
