import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ChangePasswordHttpController } from './commands/change-password/change-password.http.controller';
import { RevokeOtherSessionsHandler } from './commands/revoke-other-sessions/revoke-other-sessions.handler';
import { RevokeOtherSessionsHttpController } from './commands/revoke-other-sessions/revoke-other-sessions.http.controller';
import { RevokeSessionHandler } from './commands/revoke-session/revoke-session.handler';
import { RevokeSessionHttpController } from './commands/revoke-session/revoke-session.http.controller';
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
import { ListSessionsHandler } from './queries/list-sessions/list-sessions.handler';
import { ListSessionsHttpController } from './queries/list-sessions/list-sessions.http.controller';

@Module({
  imports: [AuthModule],
  controllers: [
    ChangePasswordHttpController,
    GetMeHttpController,
    ListMyMembershipsHttpController,
    SelectActiveOrganizationHttpController,
    ListSessionsHttpController,
    RevokeSessionHttpController,
    RevokeOtherSessionsHttpController,
    GetMailPreferencesHttpController,
    ChangeMailPreferencesHttpController,
  ],
  providers: [
    GetMeHandler,
    ListMyMembershipsHandler,
    SelectActiveOrganizationHandler,
    ListSessionsHandler,
    RevokeSessionHandler,
    RevokeOtherSessionsHandler,
    GetMailPreferencesHandler,
    ChangeMailPreferencesHandler,
  ],
})
export class MeModule {}
