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
import { RequestEmailVerificationHttpController } from './commands/request-email-verification/request-email-verification.http.controller';
import { RequestPasswordResetHttpController } from './commands/request-password-reset/request-password-reset.http.controller';
import { ResetPasswordHttpController } from './commands/reset-password/reset-password.http.controller';
import { VerifyEmailHttpController } from './commands/verify-email/verify-email.http.controller';
import { PasswordHasher } from './password-hasher.service';
import { AccountLinks } from './shared/account-links';
import { AuthThrottle } from './shared/auth-throttle.service';
import { LinkTokens } from './shared/link-tokens';
import { SessionTokens } from './shared/session-tokens';

@Module({
  imports: [TwoFactorModule],
  controllers: [
    RegisterHttpController,
    LoginHttpController,
    CompleteMfaLoginHttpController,
    LogoutHttpController,
    VerifyEmailHttpController,
    RequestEmailVerificationHttpController,
    RequestPasswordResetHttpController,
    ResetPasswordHttpController,
  ],
  providers: [
    RegisterHandler,
    LoginHandler,
    CompleteMfaLoginHandler,
    PasswordHasher,
    AuthThrottle,
    AdminSeed,
    SessionTokens,
    LinkTokens,
    AccountLinks,
  ],
  exports: [AdminSeed, SessionTokens, PasswordHasher, AuthThrottle, LinkTokens, AccountLinks],
})
export class AuthModule {}
