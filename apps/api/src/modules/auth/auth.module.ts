import { Module } from '@nestjs/common';
import { AdminSeed } from './admin-seed.service';
import { LoginHandler } from './commands/login/login.handler';
import { LoginHttpController } from './commands/login/login.http.controller';
import { RegisterHandler } from './commands/register/register.handler';
import { RegisterHttpController } from './commands/register/register.http.controller';
import { LoginThrottle } from './login-throttle.service';
import { PasswordHasher } from './password-hasher.service';

@Module({
  controllers: [RegisterHttpController, LoginHttpController],
  providers: [RegisterHandler, LoginHandler, PasswordHasher, LoginThrottle, AdminSeed],
  exports: [AdminSeed],
})
export class AuthModule {}
