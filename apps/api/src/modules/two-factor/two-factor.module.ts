import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PasswordHasher } from '../auth/password-hasher.service';
import { CompleteMfaLoginHandler } from './commands/complete-mfa-login/complete-mfa-login.handler';
import { CompleteMfaLoginHttpController } from './commands/complete-mfa-login/complete-mfa-login.http.controller';
import { DisableTwoFactorHandler } from './commands/disable-two-factor/disable-two-factor.handler';
import { DisableTwoFactorHttpController } from './commands/disable-two-factor/disable-two-factor.http.controller';
import { EnableTwoFactorHandler } from './commands/enable-two-factor/enable-two-factor.handler';
import { EnableTwoFactorHttpController } from './commands/enable-two-factor/enable-two-factor.http.controller';
import { SetupTwoFactorHandler } from './commands/setup-two-factor/setup-two-factor.handler';
import { SetupTwoFactorHttpController } from './commands/setup-two-factor/setup-two-factor.http.controller';
import { MfaChallenges } from './mfa-challenges.service';
import { MfaTokens } from './mfa-tokens.service';
import { TwoFactorSecrets } from './two-factor-secrets.service';

/** TOTP two-factor authentication: /api/me/2fa/* and the sign-in's second step (/api/auth/login/mfa). */
@Module({
  imports: [JwtModule.register({})],
  controllers: [
    SetupTwoFactorHttpController,
    EnableTwoFactorHttpController,
    DisableTwoFactorHttpController,
    CompleteMfaLoginHttpController,
  ],
  providers: [
    TwoFactorSecrets,
    MfaTokens,
    MfaChallenges,
    PasswordHasher,
    SetupTwoFactorHandler,
    EnableTwoFactorHandler,
    DisableTwoFactorHandler,
    CompleteMfaLoginHandler,
  ],
  exports: [MfaChallenges],
})
export class TwoFactorModule {}
