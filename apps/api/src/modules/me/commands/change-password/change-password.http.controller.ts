import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, sessionOf, type AuthenticatedUser } from '../../../../shared/auth/authenticated-user';
import { ApiError } from '../../../../shared/errors/api-error';
import { PositionedResponseDto, positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { PasswordHasher } from '../../../auth/password-hasher.service';
import { AccountLinks } from '../../../auth/shared/account-links';
import { AuthThrottle, throttleKeys } from '../../../auth/shared/auth-throttle.service';
import { ChangePasswordRequestDto } from './change-password.request.dto';
import { RefusedWhileImpersonating } from '../../../../shared/auth/credential-policy';

@ApiTags('me')
@ApiBearerAuth()
@Controller('me/password')
export class ChangePasswordHttpController {
  constructor(
    private readonly accounts: AccountLinks,
    private readonly users: UserDirectory,
    private readonly hasher: PasswordHasher,
    private readonly throttle: AuthThrottle,
  ) {}

  /** Needs the current password (guesses count against the account like sign-ins); ends my other sessions. */
  @Post()
  @ApiOperation({ summary: 'Change my password' })
  @RefusedWhileImpersonating()
  @HttpCode(200)
  @ApiOkResponse({ type: PositionedResponseDto })
  @ApiErrorResponses({
    400: 'invalid_current_password',
    429: 'too_many_attempts (wrong current passwords), with Retry-After',
  })
  async change(
    @Body() body: ChangePasswordRequestDto,
    @CurrentUser() user: AuthenticatedUser,
    @Ctx() context: CommandContext,
  ): Promise<PositionedResponseDto> {
    const state = await this.users.load(user.userId);
    if (state.status !== 'registered') throw ApiError.unauthorized('The session no longer matches a user');
    const accountKey = throttleKeys.loginAccount(state.email);
    await this.throttle.reserveAll(
      [[accountKey, this.throttle.options.loginAccount]],
      'Too many wrong passwords; try again later',
    );
    const currentPasswordValid = await this.hasher.verify(state.passwordHash, body.currentPassword);
    if (currentPasswordValid) await this.throttle.clear(accountKey);
    const position = await this.accounts.changePassword(
      user.userId,
      {
        passwordHash: currentPasswordValid ? await this.hasher.hash(body.newPassword) : 'unchanged',
        currentPasswordValid,
        currentSessionId: sessionOf(user),
      },
      context,
    );
    return { position: positionText(position) };
  }
}
