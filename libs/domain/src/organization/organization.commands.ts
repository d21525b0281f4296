import type { Command } from '../shared/decider';
import type { RoleId } from './organization.roles';

/** Stream `organization-<organizationId>`. Creates the organization with `ownerUserId` as its first owner. */
export type CreateOrganization = Command<
  'CreateOrganization',
  { organizationId: string; name: string; ownerUserId: string }
>;
/** Needs settings_manage. */
export type RenameOrganization = Command<'RenameOrganization', { name: string }>;
/**
 * Needs members_manage, and the actor must hold every permission of the new role and of the member's current one.
 * The same role again records nothing.
 */
export type ChangeMemberRole = Command<'ChangeMemberRole', { userId: string; role: RoleId }>;
/**
 * Needs members_manage and every permission of the member's role, unless the actor removes themself (reason
 * 'left').
 */
export type RemoveMember = Command<'RemoveMember', { userId: string }>;

/**
 * Needs members_manage and every permission of the role. `existingUserId`: the account registered with this email,
 * looked up by the caller (null when there is none), so an existing member is refused; the answer is the same
 * whether or not an account exists. `tokenHash` and `sealedToken` come from the caller's random token.
 */
export type InviteMember = Command<
  'InviteMember',
  {
    invitationId: string;
    email: string;
    role: RoleId;
    existingUserId: string | null;
    tokenHash: string;
    sealedToken: string;
  }
>;
/** Needs members_manage. */
export type RevokeInvitation = Command<'RevokeInvitation', { invitationId: string }>;
/**
 * By the invitee, who needs no membership: the invitation is found by its token's hash; the caller establishes the
 * signed-in user's email and whether it is verified (from the user's stream).
 */
export type AcceptInvitation = Command<
  'AcceptInvitation',
  { tokenHash: string; userId: string; email: string; emailVerified: boolean }
>;
export type DeclineInvitation = Command<
  'DeclineInvitation',
  { tokenHash: string; userId: string; email: string; emailVerified: boolean }
>;

/** Needs members_manage and every permission given to the role. `roleId`: a fresh uuid from the caller. */
export type CreateCustomRole = Command<
  'CreateCustomRole',
  { roleId: string; name: string; permissions: string[] }
>;
/** Needs members_manage and every permission the role had and gets. Omitted fields stay as they are. */
export type UpdateCustomRole = Command<
  'UpdateCustomRole',
  { roleId: string; name?: string; permissions?: string[] }
>;
/** Needs members_manage and every permission of the role; refused while a member or a pending invitation has it. */
export type DeleteCustomRole = Command<'DeleteCustomRole', { roleId: string }>;

export type OrganizationCommand =
  | CreateOrganization
  | RenameOrganization
  | ChangeMemberRole
  | RemoveMember
  | InviteMember
  | RevokeInvitation
  | AcceptInvitation
  | DeclineInvitation
  | CreateCustomRole
  | UpdateCustomRole
  | DeleteCustomRole;
