import { Module } from '@nestjs/common';
import { AdminSeed } from './admin-seed.service';
import { LoginHandler } from './commands/login/login.handler';
import { LoginHttpController } from './commands/login/login.http.controller';
import { LogoutHttpController } from './commands/logout/logout.http.controller';
import { RegisterHandler } from './commands/register/register.handler';
import { RegisterHttpController } from './commands/register/register.http.controller';
import { PasswordHasher } from './password-hasher.service';
import { AuthThrottle } from './shared/auth-throttle.service';
import { SessionTokens } from './shared/session-tokens';

@Module({
  controllers: [RegisterHttpController, LoginHttpController, LogoutHttpController],
  providers: [RegisterHandler, LoginHandler, PasswordHasher, AuthThrottle, AdminSeed, SessionTokens],
  exports: [AdminSeed, SessionTokens, PasswordHasher, AuthThrottle],
})
export class AuthModule {}
