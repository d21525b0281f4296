import { Module } from '@nestjs/common';
import { AcceptInvitationHandler } from './commands/accept-invitation/accept-invitation.handler';
import { AcceptInvitationHttpController } from './commands/accept-invitation/accept-invitation.http.controller';
import { ChangeMemberRoleHandler } from './commands/change-member-role/change-member-role.handler';
import { ChangeMemberRoleHttpController } from './commands/change-member-role/change-member-role.http.controller';
import { CreateOrganizationHandler } from './commands/create-organization/create-organization.handler';
import { CreateOrganizationHttpController } from './commands/create-organization/create-organization.http.controller';
import { CreateRoleHandler } from './commands/create-role/create-role.handler';
import { CreateRoleHttpController } from './commands/create-role/create-role.http.controller';
import { DeclineInvitationHandler } from './commands/decline-invitation/decline-invitation.handler';
import { DeclineInvitationHttpController } from './commands/decline-invitation/decline-invitation.http.controller';
import { DeleteRoleHandler } from './commands/delete-role/delete-role.handler';
import { DeleteRoleHttpController } from './commands/delete-role/delete-role.http.controller';
import { InviteMemberHandler } from './commands/invite-member/invite-member.handler';
import { InviteMemberHttpController } from './commands/invite-member/invite-member.http.controller';
import { RemoveMemberHandler } from './commands/remove-member/remove-member.handler';
import { RemoveMemberHttpController } from './commands/remove-member/remove-member.http.controller';
import { RenameOrganizationHandler } from './commands/rename-organization/rename-organization.handler';
import { RenameOrganizationHttpController } from './commands/rename-organization/rename-organization.http.controller';
import { RevokeInvitationHandler } from './commands/revoke-invitation/revoke-invitation.handler';
import { RevokeInvitationHttpController } from './commands/revoke-invitation/revoke-invitation.http.controller';
import { UpdateRoleHandler } from './commands/update-role/update-role.handler';
import { UpdateRoleHttpController } from './commands/update-role/update-role.http.controller';
import { GetInvitationHandler } from './queries/get-invitation/get-invitation.handler';
import { GetInvitationHttpController } from './queries/get-invitation/get-invitation.http.controller';
import { GetOrganizationHandler } from './queries/get-organization/get-organization.handler';
import { GetOrganizationHttpController } from './queries/get-organization/get-organization.http.controller';
import { ListInvitationsHandler } from './queries/list-invitations/list-invitations.handler';
import { ListInvitationsHttpController } from './queries/list-invitations/list-invitations.http.controller';
import { ListMembersHandler } from './queries/list-members/list-members.handler';
import { ListMembersHttpController } from './queries/list-members/list-members.http.controller';
import { ListMyOrganizationsHandler } from './queries/list-my-organizations/list-my-organizations.handler';
import { ListMyOrganizationsHttpController } from './queries/list-my-organizations/list-my-organizations.http.controller';
import { ListRolesHandler } from './queries/list-roles/list-roles.handler';
import { ListRolesHttpController } from './queries/list-roles/list-roles.http.controller';
import { InvitationLinks } from './shared/invitation-links';
import { InvitationTokens } from './shared/invitation-tokens';

@Module({
  controllers: [
    CreateOrganizationHttpController,
    ListMyOrganizationsHttpController,
    GetOrganizationHttpController,
    RenameOrganizationHttpController,
    ListMembersHttpController,
    ChangeMemberRoleHttpController,
    RemoveMemberHttpController,
    InviteMemberHttpController,
    ListInvitationsHttpController,
    RevokeInvitationHttpController,
    GetInvitationHttpController,
    AcceptInvitationHttpController,
    DeclineInvitationHttpController,
    ListRolesHttpController,
    CreateRoleHttpController,
    UpdateRoleHttpController,
    DeleteRoleHttpController,
  ],
  providers: [
    InvitationTokens,
    InvitationLinks,
    CreateOrganizationHandler,
    RenameOrganizationHandler,
    ChangeMemberRoleHandler,
    RemoveMemberHandler,
    InviteMemberHandler,
    RevokeInvitationHandler,
    AcceptInvitationHandler,
    DeclineInvitationHandler,
    CreateRoleHandler,
    UpdateRoleHandler,
    DeleteRoleHandler,
    ListMyOrganizationsHandler,
    GetOrganizationHandler,
    ListMembersHandler,
    ListInvitationsHandler,
    GetInvitationHandler,
    ListRolesHandler,
  ],
})
export class OrganizationsModule {}
