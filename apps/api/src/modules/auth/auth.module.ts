import { Module } from '@nestjs/common';
import { TwoFactorModule } from '../two-factor/two-factor.module';
import { AdminSeed } from './admin-seed.service';
import { CompleteMfaLoginHandler } from './commands/complete-mfa-login/complete-mfa-login.handler';
import { CompleteMfaLoginHttpController } from './commands/complete-mfa-login/complete-mfa-login.http.controller';
import { LoginHandler } from './commands/login/login.handler';
import { LoginHttpController } from './commands/login/login.http.controller';
import { LogoutHttpController } from './commands/logout/logout.http.controller';
import { RegisterHandler } from './commands/register/register.handler';
import { RegisterHttpController } from './commands/register/register.http.controller';
import { PasswordHasher } from './password-hasher.service';
import { AuthThrottle } from './shared/auth-throttle.service';
import { SessionTokens } from './shared/session-tokens';

@Module({
  imports: [TwoFactorModule],
  controllers: [
    RegisterHttpController,
    LoginHttpController,
    CompleteMfaLoginHttpController,
    LogoutHttpController,
  ],
  providers: [
    RegisterHandler,
    LoginHandler,
    CompleteMfaLoginHandler,
    PasswordHasher,
    AuthThrottle,
    AdminSeed,
    SessionTokens,
  ],
  exports: [AdminSeed, SessionTokens, PasswordHasher, AuthThrottle],
})
export class AuthModule {}
