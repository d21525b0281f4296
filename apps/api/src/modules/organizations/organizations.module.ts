import { Module } from '@nestjs/common';
import { AddMemberHandler } from './commands/add-member/add-member.handler';
import { AddMemberHttpController } from './commands/add-member/add-member.http.controller';
import { ChangeMemberRoleHandler } from './commands/change-member-role/change-member-role.handler';
import { ChangeMemberRoleHttpController } from './commands/change-member-role/change-member-role.http.controller';
import { CreateOrganizationHandler } from './commands/create-organization/create-organization.handler';
import { CreateOrganizationHttpController } from './commands/create-organization/create-organization.http.controller';
import { RemoveMemberHandler } from './commands/remove-member/remove-member.handler';
import { RemoveMemberHttpController } from './commands/remove-member/remove-member.http.controller';
import { RenameOrganizationHandler } from './commands/rename-organization/rename-organization.handler';
import { RenameOrganizationHttpController } from './commands/rename-organization/rename-organization.http.controller';
import { GetOrganizationHandler } from './queries/get-organization/get-organization.handler';
import { GetOrganizationHttpController } from './queries/get-organization/get-organization.http.controller';
import { ListMembersHandler } from './queries/list-members/list-members.handler';
import { ListMembersHttpController } from './queries/list-members/list-members.http.controller';
import { ListMyOrganizationsHandler } from './queries/list-my-organizations/list-my-organizations.handler';
import { ListMyOrganizationsHttpController } from './queries/list-my-organizations/list-my-organizations.http.controller';

@Module({
  controllers: [
    CreateOrganizationHttpController,
    ListMyOrganizationsHttpController,
    GetOrganizationHttpController,
    RenameOrganizationHttpController,
    ListMembersHttpController,
    AddMemberHttpController,
    ChangeMemberRoleHttpController,
    RemoveMemberHttpController,
  ],
  providers: [
    CreateOrganizationHandler,
    RenameOrganizationHandler,
    AddMemberHandler,
    ChangeMemberRoleHandler,
    RemoveMemberHandler,
    ListMyOrganizationsHandler,
    GetOrganizationHandler,
    ListMembersHandler,
  ],
})
export class OrganizationsModule {}
