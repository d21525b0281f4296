import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { PasswordHasher } from '../../password-hasher.service';
import { AccountLinks, invalidToken } from '../../shared/account-links';
import { linkTokenUserId } from '../../shared/link-tokens';
import { ResetPasswordRequestDto } from './reset-password.request.dto';

@ApiTags('auth')
@Controller('auth/password-reset/confirm')
export class ResetPasswordHttpController {
  constructor(
    private readonly accounts: AccountLinks,
    private readonly hasher: PasswordHasher,
  ) {}

  /** Sets the new password and ends every session of the account; the link then no longer works. */
  @Post()
  @ApiOperation({ summary: 'Set a new password with the mailed token' })
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: PositionedResponseDto })
  @ApiErrorResponses({ 400: 'invalid_token (unknown or used), token_expired' })
  async confirm(
    @Body() body: ResetPasswordRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<PositionedResponseDto> {
    // Hashing is deliberately slow: not for tokens that cannot be one.
    if (!linkTokenUserId(body.token)) throw invalidToken('reset');
    const passwordHash = await this.hasher.hash(body.password);
    return { position: positionText(await this.accounts.resetPassword(body.token, passwordHash, context)) };
  }
}
