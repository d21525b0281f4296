import { Module } from '@nestjs/common';
import { SelectActiveOrganizationHandler } from './commands/select-active-organization/select-active-organization.handler';
import { SelectActiveOrganizationHttpController } from './commands/select-active-organization/select-active-organization.http.controller';
import { GetMeHandler } from './queries/get-me/get-me.handler';
import { GetMeHttpController } from './queries/get-me/get-me.http.controller';
import { ListMyMembershipsHandler } from './queries/list-my-memberships/list-my-memberships.handler';
import { ListMyMembershipsHttpController } from './queries/list-my-memberships/list-my-memberships.http.controller';

@Module({
  controllers: [GetMeHttpController, ListMyMembershipsHttpController, SelectActiveOrganizationHttpController],
  providers: [GetMeHandler, ListMyMembershipsHandler, SelectActiveOrganizationHandler],
})
export class MeModule {}
