import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PasswordHasher } from '../auth/password-hasher.service';
import { DisableTwoFactorHandler } from './commands/disable-two-factor/disable-two-factor.handler';
import { DisableTwoFactorHttpController } from './commands/disable-two-factor/disable-two-factor.http.controller';
import { EnableTwoFactorHandler } from './commands/enable-two-factor/enable-two-factor.handler';
import { EnableTwoFactorHttpController } from './commands/enable-two-factor/enable-two-factor.http.controller';
import { SetupTwoFactorHandler } from './commands/setup-two-factor/setup-two-factor.handler';
import { SetupTwoFactorHttpController } from './commands/setup-two-factor/setup-two-factor.http.controller';
import { MfaChallenges } from './mfa-challenges.service';
import { MfaTokens } from './mfa-tokens.service';
import { TwoFactorSecrets } from './two-factor-secrets.service';

/**
 * TOTP two-factor authentication: /api/me/2fa/*, and what the sign-in's second step (the auth module's
 * POST /api/auth/login/mfa) needs.
 */
@Module({
  imports: [JwtModule.register({})],
  controllers: [SetupTwoFactorHttpController, EnableTwoFactorHttpController, DisableTwoFactorHttpController],
  providers: [
    TwoFactorSecrets,
    MfaTokens,
    MfaChallenges,
    PasswordHasher,
    SetupTwoFactorHandler,
    EnableTwoFactorHandler,
    DisableTwoFactorHandler,
  ],
  exports: [MfaChallenges, MfaTokens, TwoFactorSecrets],
})
export class TwoFactorModule {}
