import { Module } from '@nestjs/common';
import { GetOrganizationDetailHandler } from './queries/get-organization-detail/get-organization-detail.handler';
import { GetOrganizationDetailHttpController } from './queries/get-organization-detail/get-organization-detail.http.controller';
import { GetUserHandler } from './queries/get-user/get-user.handler';
import { GetUserHttpController } from './queries/get-user/get-user.http.controller';
import { SearchOrganizationsHandler } from './queries/search-organizations/search-organizations.handler';
import { SearchOrganizationsHttpController } from './queries/search-organizations/search-organizations.http.controller';
import { SearchUsersHandler } from './queries/search-users/search-users.handler';
import { SearchUsersHttpController } from './queries/search-users/search-users.http.controller';

/** Staff look-ups of users and organizations in their read models (platform admins only). */
@Module({
  controllers: [
    SearchUsersHttpController,
    GetUserHttpController,
    SearchOrganizationsHttpController,
    GetOrganizationDetailHttpController,
  ],
  providers: [SearchUsersHandler, GetUserHandler, SearchOrganizationsHandler, GetOrganizationDetailHandler],
})
export class AdminDirectoryModule {}
