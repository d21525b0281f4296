import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '../../../../shared/errors/api-error';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { LoginThrottle } from '../../login-throttle.service';
import { PasswordHasher } from '../../password-hasher.service';
import { LoginCommand, type LoginResult } from './login.command';

@CommandHandler(LoginCommand)
export class LoginHandler implements ICommandHandler<LoginCommand, LoginResult> {
  constructor(
    private readonly users: UserDirectory,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
  ) {}

  async execute({ email, password, ip }: LoginCommand): Promise<LoginResult> {
    const retryAfter = this.throttle.retryAfterSeconds(email, ip);
    if (retryAfter > 0) {
      throw new ApiError(
        429,
        'too_many_attempts',
        'Too many failed logins; try again later',
        { retryAfterSeconds: retryAfter },
        { 'Retry-After': String(retryAfter) },
      );
    }
    const user = await this.users.findByEmail(email);
    const valid = user
      ? await this.hasher.verify(user.passwordHash, password)
      : await this.hasher.verifyAgainstNothing(password);
    if (!user || !valid) {
      this.throttle.recordFailure(email, ip);
      // One answer for an unknown email and a wrong password.
      throw ApiError.unauthorized('Email or password is incorrect', 'invalid_credentials');
    }
    this.throttle.recordSuccess(email);
    return { userId: user.userId, email: user.email, name: user.name, platformRole: user.platformRole };
  }
}
