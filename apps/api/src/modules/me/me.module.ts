import { Module } from '@nestjs/common';
import { ChangeMailPreferencesHandler } from './commands/change-mail-preferences/change-mail-preferences.handler';
import { ChangeMailPreferencesHttpController } from './commands/change-mail-preferences/change-mail-preferences.http.controller';
import { SelectActiveOrganizationHandler } from './commands/select-active-organization/select-active-organization.handler';
import { SelectActiveOrganizationHttpController } from './commands/select-active-organization/select-active-organization.http.controller';
import { GetMailPreferencesHandler } from './queries/get-mail-preferences/get-mail-preferences.handler';
import { GetMailPreferencesHttpController } from './queries/get-mail-preferences/get-mail-preferences.http.controller';
import { GetMeHandler } from './queries/get-me/get-me.handler';
import { GetMeHttpController } from './queries/get-me/get-me.http.controller';
import { ListMyMembershipsHandler } from './queries/list-my-memberships/list-my-memberships.handler';
import { ListMyMembershipsHttpController } from './queries/list-my-memberships/list-my-memberships.http.controller';

@Module({
  controllers: [
    GetMeHttpController,
    ListMyMembershipsHttpController,
    SelectActiveOrganizationHttpController,
    GetMailPreferencesHttpController,
    ChangeMailPreferencesHttpController,
  ],
  providers: [
    GetMeHandler,
    ListMyMembershipsHandler,
    SelectActiveOrganizationHandler,
    GetMailPreferencesHandler,
    ChangeMailPreferencesHandler,
  ],
})
export class MeModule {}
