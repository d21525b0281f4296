import type { DomainEvent } from '../shared/decider';
import type { Permission } from '../permissions/permissions';
import type { RoleId } from './organization.roles';

/** Stream `organization-<organizationId>`. */
export type OrganizationCreated = DomainEvent<
  'OrganizationCreated',
  { organizationId: string; name: string; createdBy: string }
>;
export type OrganizationRenamed = DomainEvent<
  'OrganizationRenamed',
  { organizationId: string; name: string }
>;
/** `role`: a predefined role's name or a custom role's id (see organization.roles). */
export type MemberAdded = DomainEvent<
  'MemberAdded',
  { organizationId: string; userId: string; role: RoleId }
>;
/**
 * `permissions`: what the new role grants at the time (absent in events older than custom roles, whose role is
 * always a predefined one): readers that react to a lost permission need no organization state.
 */
export type MemberRoleChanged = DomainEvent<
  'MemberRoleChanged',
  {
    organizationId: string;
    userId: string;
    role: RoleId;
    previousRole: RoleId;
    permissions?: Permission[];
  }
>;
export type MemberRemoved = DomainEvent<
  'MemberRemoved',
  { organizationId: string; userId: string; role: RoleId; reason: 'removed' | 'left' }
>;

export type CustomRoleCreated = DomainEvent<
  'CustomRoleCreated',
  { organizationId: string; roleId: string; name: string; permissions: Permission[] }
>;
/** `holders`: the members who had the role when it changed (readers ending what a lost permission allowed). */
export type CustomRoleUpdated = DomainEvent<
  'CustomRoleUpdated',
  {
    organizationId: string;
    roleId: string;
    name: string;
    permissions: Permission[];
    previousPermissions: Permission[];
    holders: string[];
  }
>;
export type CustomRoleDeleted = DomainEvent<
  'CustomRoleDeleted',
  { organizationId: string; roleId: string; name: string }
>;

/**
 * An invitation by email, valid until `expiresAt`. The raw token is never stored: `tokenHash` (sha256) is what
 * accepting checks, `sealedToken` (SecretBox, bound to invitationSealedFor) only the mailer opens to write the link.
 * `roleName`: the role as the invitee reads it in the mail.
 */
export type InvitationCreated = DomainEvent<
  'InvitationCreated',
  {
    organizationId: string;
    invitationId: string;
    email: string;
    role: RoleId;
    roleName: string;
    invitedBy: string;
    tokenHash: string;
    sealedToken: string;
    expiresAt: string;
  }
>;
export type InvitationRevoked = DomainEvent<
  'InvitationRevoked',
  { organizationId: string; invitationId: string; email: string }
>;
/** Followed, in the same append, by the MemberAdded that makes the invitee a member. */
export type InvitationAccepted = DomainEvent<
  'InvitationAccepted',
  { organizationId: string; invitationId: string; email: string; userId: string }
>;
export type InvitationDeclined = DomainEvent<
  'InvitationDeclined',
  { organizationId: string; invitationId: string; email: string; userId: string }
>;

export type OrganizationEvent =
  | OrganizationCreated
  | OrganizationRenamed
  | MemberAdded
  | MemberRoleChanged
  | MemberRemoved
  | CustomRoleCreated
  | CustomRoleUpdated
  | CustomRoleDeleted
  | InvitationCreated
  | InvitationRevoked
  | InvitationAccepted
  | InvitationDeclined;
