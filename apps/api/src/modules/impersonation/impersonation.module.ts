import { Module } from '@nestjs/common';
import { StartImpersonationHandler } from './commands/start-impersonation/start-impersonation.handler';
import { StartImpersonationHttpController } from './commands/start-impersonation/start-impersonation.http.controller';
import { StopImpersonationHandler } from './commands/stop-impersonation/stop-impersonation.handler';
import { StopImpersonationHttpController } from './commands/stop-impersonation/stop-impersonation.http.controller';

/** Staff acting as a customer (user stream: ImpersonationStarted/Ended), and ending it. */
@Module({
  controllers: [StartImpersonationHttpController, StopImpersonationHttpController],
  providers: [StartImpersonationHandler, StopImpersonationHandler],
})
export class ImpersonationModule {}
