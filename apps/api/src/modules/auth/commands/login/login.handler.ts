import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '../../../../shared/errors/api-error';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { PasswordHasher } from '../../password-hasher.service';
import { AuthThrottle, throttleKeys } from '../../shared/auth-throttle.service';
import { LoginCommand, type LoginResult } from './login.command';

@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand, LoginResult> {
  constructor(
    private readonly users: UserDirectory,
    private readonly hasher: PasswordHasher,
    private readonly throttle: AuthThrottle,
  ) {}

  async execute({ email, password, ip }: LoginCommand): Promise<LoginResult> {
    // Reserved before the password is checked: parallel guesses cannot run more checks than the limits grant.
    const { loginAddress, loginAccount } = this.throttle.options;
    const [address] = await this.throttle.reserveAll(
      [
        [throttleKeys.loginAddress(ip), loginAddress],
        [throttleKeys.loginAccount(email), loginAccount],
      ],
      'Too many failed logins; try again later',
    );
    const user = await this.users.findByEmail(email);
    const valid = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verifyAgainstNothing(password);
    if (!user || !valid) {
      // One answer for an unknown email and a wrong password; the reserved attempts count as failures.
      throw ApiError.unauthorized('Email or password is incorrect', 'invalid_credentials');
    }
    // A success clears the account's count and does not count against the address.
    await this.throttle.clear(throttleKeys.loginAccount(email));
    await this.throttle.release([address]);
    return { userId: user.userId, email: user.email, name: user.name, platformRole: user.platformRole };
  }
}
