import { Module } from '@nestjs/common';
import { TwoFactorModule } from '../two-factor/two-factor.module';
import { AdminSeed } from './admin-seed.service';
import { LoginHandler } from './commands/login/login.handler';
import { LoginHttpController } from './commands/login/login.http.controller';
import { RegisterHandler } from './commands/register/register.handler';
import { RegisterHttpController } from './commands/register/register.http.controller';
import { LoginThrottle } from './login-throttle.service';
import { PasswordHasher } from './password-hasher.service';

@Module({
  imports: [TwoFactorModule],
  controllers: [RegisterHttpController, LoginHttpController],
  providers: [RegisterHandler, LoginHandler, PasswordHasher, LoginThrottle, AdminSeed],
  exports: [AdminSeed],
})
export class AuthModule {}
