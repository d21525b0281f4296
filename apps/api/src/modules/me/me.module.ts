import { Module } from '@nestjs/common';
import { SelectActiveOrganizationHandler } from './commands/select-active-organization/select-active-organization.handler';
import { SelectActiveOrganizationHttpController } from './commands/select-active-organization/select-active-organization.http.controller';
import { GetMeHandler } from './queries/get-me/get-me.handler';
import { GetMeHttpController } from './queries/get-me/get-me.http.controller';

@Module({
  controllers: [GetMeHttpController, SelectActiveOrganizationHttpController],
  providers: [GetMeHandler, SelectActiveOrganizationHandler],
})
export class MeModule {}
