import { isOrganizationRole, type Permission } from '../permissions/permissions';
import { assertNever, DomainError, type CommandMetadata } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import { normalizeEmail, requireEmail } from '../user/email';
import type { OrganizationCommand, UpdateCustomRole } from './organization.commands';
import type { MemberRemoved, OrganizationEvent } from './organization.events';
import { INVITATION_TTL_MS, MAX_PENDING_INVITATIONS } from './organization.invitations';
import {
  MAX_CUSTOM_ROLES,
  MAX_ROLE_NAME_LENGTH,
  permissionsNotHeld,
  requirePermissionList,
  roleNameKey,
  type ResolvedRole,
} from './organization.roles';
import {
  actorPermissions,
  invitationByTokenHash,
  isExpired,
  memberAccess,
  openInvitations,
  ownerCount,
  roleOf,
  type ActiveOrganizationState,
  type Invitation,
  type OrganizationState,
  type PendingInvitation,
} from './organization.state';

export const MAX_ORGANIZATION_NAME_LENGTH = 100;

// ---- rules ----

function notFound(): DomainError {
  // The same answer for "does not exist" and "exists but you are not in it".
  return new DomainError('not_found', 'organization_not_found', 'Organization not found');
}

function requireActive(state: OrganizationState): ActiveOrganizationState {
  switch (state.status) {
    case 'active':
      return state;
    case 'none':
      throw notFound();
    default:
      return assertNever(state);
  }
}

/**
 * Membership first (non-members learn nothing), then the permission; returns what the actor may do. Platform
 * staff and the system bypass both (on customer routes the API has them act as plain members).
 */
function authorize(
  state: ActiveOrganizationState,
  metadata: CommandMetadata,
  permission: Permission,
): readonly Permission[] {
  const held = actorPermissions(state, metadata);
  if (held.includes(permission)) return held;
  const role = memberAccess(state, metadata.actor.userId);
  if (role === undefined) throw notFound();
  throw new DomainError(
    'forbidden',
    'missing_permission',
    `Your role (${role.name}) lacks the ${permission} permission`,
    { permission, role: role.roleId },
  );
}

/** Nobody hands out, or takes away, a permission they do not hold themself. */
function requireHeld(
  wanted: readonly Permission[],
  held: readonly Permission[],
  what: string,
  details: Record<string, unknown>,
): void {
  const notHeld = permissionsNotHeld(wanted, held);
  if (notHeld.length > 0) {
    throw new DomainError(
      'forbidden',
      'permission_not_held',
      `${what} has permissions you do not hold: ${notHeld.join(', ')}`,
      { ...details, notHeld },
    );
  }
}

/** A role of this organization, predefined or its own. */
function requireRole(state: ActiveOrganizationState, value: unknown): ResolvedRole {
  const role = typeof value === 'string' ? roleOf(state, value) : undefined;
  if (role === undefined) {
    throw new DomainError(
      'validation',
      'invalid_role',
      "role must be one of the predefined roles or the id of one of the organization's custom roles",
      { field: 'role' },
    );
  }
  return role;
}

function requireMember(state: ActiveOrganizationState, userId: string): ResolvedRole {
  const role = memberAccess(state, userId);
  if (role === undefined) {
    throw new DomainError('not_found', 'member_not_found', 'No such member in this organization', { userId });
  }
  return role;
}

function lastOwner(): DomainError {
  return new DomainError('conflict', 'last_owner', 'An organization must keep at least one owner');
}

// ---- custom roles ----

function requireCustomRole(state: ActiveOrganizationState, roleId: unknown) {
  if (typeof roleId === 'string' && isOrganizationRole(roleId)) {
    throw new DomainError('conflict', 'built_in_role', 'The predefined roles cannot be changed or deleted', {
      roleId,
    });
  }
  const role = typeof roleId === 'string' ? state.customRoles.get(roleId) : undefined;
  if (!role)
    throw new DomainError('not_found', 'role_not_found', 'No such role in this organization', { roleId });
  return role;
}

/** A role's name: 1..50 characters, unlike every predefined role's and every other custom role's. */
function requireRoleName(state: ActiveOrganizationState, value: unknown, exceptRoleId?: string): string {
  const name = requireText(value, 'name', 'invalid_role_name', MAX_ROLE_NAME_LENGTH);
  const key = roleNameKey(name);
  const taken =
    isOrganizationRole(key) ||
    [...state.customRoles.values()].some((r) => r.roleId !== exceptRoleId && roleNameKey(r.name) === key);
  if (taken) {
    throw new DomainError('conflict', 'role_name_taken', `There is already a role called ${name}`, {
      field: 'name',
    });
  }
  return name;
}

function decideUpdateCustomRole(
  organization: ActiveOrganizationState,
  command: UpdateCustomRole,
): OrganizationEvent[] {
  const held = authorize(organization, command.metadata, 'members_manage');
  const role = requireCustomRole(organization, command.data.roleId);
  requireHeld(role.permissions, held, 'This role', { roleId: role.roleId });
  const name =
    command.data.name === undefined
      ? role.name
      : requireRoleName(organization, command.data.name, role.roleId);
  const permissions =
    command.data.permissions === undefined
      ? [...role.permissions]
      : requirePermissionList(command.data.permissions);
  requireHeld(permissions, held, 'This role', { field: 'permissions' });
  const samePermissions =
    permissions.length === role.permissions.length && permissions.every((p) => role.permissions.includes(p));
  if (name === role.name && samePermissions) return [];
  const holders = [...organization.members].filter(([, r]) => r === role.roleId).map(([userId]) => userId);
  return [
    {
      type: 'CustomRoleUpdated',
      data: {
        organizationId: organization.organizationId,
        roleId: role.roleId,
        name,
        permissions,
        previousPermissions: [...role.permissions],
        holders,
      },
    },
  ];
}

// ---- invitations ----

const TOKEN_HASH = /^[0-9a-f]{64}$/;

function requireTokenHash(value: unknown): string {
  if (typeof value !== 'string' || !TOKEN_HASH.test(value)) {
    throw new DomainError('validation', 'invalid_token_hash', 'tokenHash must be a sha256 hex digest', {
      field: 'tokenHash',
    });
  }
  return value;
}

function invitationNotFound(): DomainError {
  return new DomainError('not_found', 'invitation_not_found', 'This invitation link is invalid');
}

function invitationClosed(invitation: Invitation, now: string): DomainError | null {
  switch (invitation.status) {
    case 'pending':
      return isExpired(invitation, now)
        ? new DomainError('gone', 'invitation_expired', 'This invitation has expired: ask for a new one')
        : null;
    case 'accepted':
      return new DomainError('gone', 'invitation_accepted', 'This invitation was already accepted');
    case 'declined':
      return new DomainError('gone', 'invitation_declined', 'This invitation was declined');
    case 'revoked':
      return new DomainError('gone', 'invitation_revoked', 'This invitation was withdrawn');
    default:
      return assertNever(invitation);
  }
}

/** Who opens an invitation link: its token's hash, and the signed-in user's address as their stream has it. */
export interface InvitationOpener {
  tokenHash: string;
  email: string;
  emailVerified: boolean;
}

/**
 * The invitation the token names, for the signed-in user it was sent to, still open at `now`. Who is not its
 * addressee learns no more than that (not its state, not the address it was sent to). Accepting and declining
 * decide with it; the API shows an invitation with it before either.
 */
export function openInvitationFor(
  state: OrganizationState,
  opener: InvitationOpener,
  now: string,
): { organization: ActiveOrganizationState; invitation: PendingInvitation } {
  const tokenHash = requireTokenHash(opener.tokenHash);
  const invitation = invitationByTokenHash(state, tokenHash);
  if (state.status !== 'active' || invitation === undefined) throw invitationNotFound();
  if (normalizeEmail(String(opener.email)) !== invitation.email) {
    throw new DomainError(
      'forbidden',
      'invitation_for_another_email',
      'This invitation was sent to another email address: sign in with the account it was sent to',
    );
  }
  if (opener.emailVerified !== true) {
    throw new DomainError(
      'forbidden',
      'email_not_verified',
      'Confirm your email address first (follow the link we mailed you), then open the invitation again',
    );
  }
  const closed = invitationClosed(invitation, now);
  if (closed) throw closed;
  return { organization: state, invitation: invitation as PendingInvitation };
}

// ---- decide ----

export function decideOrganization(
  command: OrganizationCommand,
  state: OrganizationState,
): OrganizationEvent[] {
  switch (command.type) {
    case 'CreateOrganization': {
      const organizationId = requireId(command.data.organizationId, 'organizationId');
      const ownerUserId = requireId(command.data.ownerUserId, 'ownerUserId');
      const name = requireText(command.data.name, 'name', 'invalid_name', MAX_ORGANIZATION_NAME_LENGTH);
      if (state.status !== 'none') {
        throw new DomainError('conflict', 'organization_already_exists', 'This organization already exists', {
          organizationId,
        });
      }
      return [
        {
          type: 'OrganizationCreated',
          data: { organizationId, name, createdBy: command.metadata.actor.userId },
        },
        { type: 'MemberAdded', data: { organizationId, userId: ownerUserId, role: 'owner' } },
      ];
    }
    case 'RenameOrganization': {
      const organization = requireActive(state);
      authorize(organization, command.metadata, 'settings_manage');
      const name = requireText(command.data.name, 'name', 'invalid_name', MAX_ORGANIZATION_NAME_LENGTH);
      if (name === organization.name) return [];
      return [{ type: 'OrganizationRenamed', data: { organizationId: organization.organizationId, name } }];
    }
    case 'ChangeMemberRole': {
      const organization = requireActive(state);
      const held = authorize(organization, command.metadata, 'members_manage');
      const userId = requireId(command.data.userId, 'userId');
      const role = requireRole(organization, command.data.role);
      const previous = requireMember(organization, userId);
      if (role.roleId === previous.roleId) return [];
      requireHeld(previous.permissions, held, 'This member', { userId });
      requireHeld(role.permissions, held, 'This role', { field: 'role' });
      if (previous.roleId === 'owner' && ownerCount(organization) === 1) throw lastOwner();
      return [
        {
          type: 'MemberRoleChanged',
          data: {
            organizationId: organization.organizationId,
            userId,
            role: role.roleId,
            previousRole: previous.roleId,
            permissions: [...role.permissions],
          },
        },
      ];
    }
    case 'RemoveMember': {
      const organization = requireActive(state);
      const userId = requireId(command.data.userId, 'userId');
      const leaving = userId === command.metadata.actor.userId && organization.members.has(userId);
      const held = leaving ? null : authorize(organization, command.metadata, 'members_manage');
      const role = requireMember(organization, userId);
      if (held) requireHeld(role.permissions, held, 'This member', { userId });
      if (role.roleId === 'owner' && ownerCount(organization) === 1) throw lastOwner();
      const reason: MemberRemoved['data']['reason'] = leaving ? 'left' : 'removed';
      return [
        {
          type: 'MemberRemoved',
          data: { organizationId: organization.organizationId, userId, role: role.roleId, reason },
        },
      ];
    }
    case 'InviteMember': {
      const organization = requireActive(state);
      const held = authorize(organization, command.metadata, 'members_manage');
      const invitationId = requireId(command.data.invitationId, 'invitationId');
      const email = requireEmail(command.data.email);
      const role = requireRole(organization, command.data.role);
      requireHeld(role.permissions, held, 'This role', { field: 'role' });
      const tokenHash = requireTokenHash(command.data.tokenHash);
      const sealedToken = requireId(command.data.sealedToken, 'sealedToken', 1000);
      const { existingUserId } = command.data;
      if (existingUserId !== null && organization.members.has(existingUserId)) {
        throw new DomainError('conflict', 'already_member', 'This person is already a member', {
          field: 'email',
        });
      }
      const now = command.metadata.now;
      const open = openInvitations(organization, now);
      if (open.some((i) => i.email === email)) {
        throw new DomainError(
          'conflict',
          'already_invited',
          'This address has a pending invitation: revoke it to send a new one',
          { field: 'email' },
        );
      }
      if (open.length >= MAX_PENDING_INVITATIONS) {
        throw new DomainError(
          'conflict',
          'too_many_invitations',
          `At most ${MAX_PENDING_INVITATIONS} invitations can be pending at once`,
          { max: MAX_PENDING_INVITATIONS },
        );
      }
      if (organization.invitations.has(invitationId) || invitationByTokenHash(organization, tokenHash)) {
        throw new DomainError('conflict', 'invitation_already_exists', 'This invitation already exists', {
          invitationId,
        });
      }
      return [
        {
          type: 'InvitationCreated',
          data: {
            organizationId: organization.organizationId,
            invitationId,
            email,
            role: role.roleId,
            roleName: role.name,
            invitedBy: command.metadata.actor.userId,
            tokenHash,
            sealedToken,
            expiresAt: new Date(Date.parse(now) + INVITATION_TTL_MS).toISOString(),
          },
        },
      ];
    }
    case 'RevokeInvitation': {
      const organization = requireActive(state);
      authorize(organization, command.metadata, 'members_manage');
      const invitation =
        typeof command.data.invitationId === 'string'
          ? organization.invitations.get(command.data.invitationId)
          : undefined;
      if (!invitation) {
        throw new DomainError('not_found', 'invitation_not_found', 'No such invitation in this organization');
      }
      const closed = invitationClosed(invitation, command.metadata.now);
      if (closed) throw closed;
      return [
        {
          type: 'InvitationRevoked',
          data: {
            organizationId: organization.organizationId,
            invitationId: invitation.invitationId,
            email: invitation.email,
          },
        },
      ];
    }
    case 'AcceptInvitation': {
      const { organization, invitation } = openInvitationFor(state, command.data, command.metadata.now);
      const userId = requireId(command.data.userId, 'userId');
      if (organization.members.has(userId)) {
        throw new DomainError('conflict', 'already_member', 'You are already a member of this organization');
      }
      // A role in use by a pending invitation cannot be deleted: the invited role exists.
      const role = requireRole(organization, invitation.role);
      const { organizationId } = organization;
      return [
        {
          type: 'InvitationAccepted',
          data: { organizationId, invitationId: invitation.invitationId, email: invitation.email, userId },
        },
        { type: 'MemberAdded', data: { organizationId, userId, role: role.roleId } },
      ];
    }
    case 'DeclineInvitation': {
      const { organization, invitation } = openInvitationFor(state, command.data, command.metadata.now);
      const userId = requireId(command.data.userId, 'userId');
      return [
        {
          type: 'InvitationDeclined',
          data: {
            organizationId: organization.organizationId,
            invitationId: invitation.invitationId,
            email: invitation.email,
            userId,
          },
        },
      ];
    }
    case 'CreateCustomRole': {
      const organization = requireActive(state);
      const held = authorize(organization, command.metadata, 'members_manage');
      const roleId = requireId(command.data.roleId, 'roleId');
      const name = requireRoleName(organization, command.data.name);
      const permissions = requirePermissionList(command.data.permissions);
      requireHeld(permissions, held, 'This role', { field: 'permissions' });
      if (isOrganizationRole(roleId) || organization.customRoles.has(roleId)) {
        throw new DomainError('conflict', 'role_already_exists', 'This role already exists', { roleId });
      }
      if (organization.customRoles.size >= MAX_CUSTOM_ROLES) {
        throw new DomainError(
          'conflict',
          'too_many_roles',
          `An organization can have at most ${MAX_CUSTOM_ROLES} custom roles`,
          { max: MAX_CUSTOM_ROLES },
        );
      }
      return [
        {
          type: 'CustomRoleCreated',
          data: { organizationId: organization.organizationId, roleId, name, permissions },
        },
      ];
    }
    case 'UpdateCustomRole':
      return decideUpdateCustomRole(requireActive(state), command);
    case 'DeleteCustomRole': {
      const organization = requireActive(state);
      const held = authorize(organization, command.metadata, 'members_manage');
      const role = requireCustomRole(organization, command.data.roleId);
      requireHeld(role.permissions, held, 'This role', { roleId: role.roleId });
      const members = [...organization.members.values()].filter((r) => r === role.roleId).length;
      const invitations = openInvitations(organization, command.metadata.now).filter(
        (i) => i.role === role.roleId,
      ).length;
      if (members > 0 || invitations > 0) {
        throw new DomainError(
          'conflict',
          'role_in_use',
          'This role is in use: give its members and pending invitations another role first',
          { members, invitations },
        );
      }
      return [
        {
          type: 'CustomRoleDeleted',
          data: { organizationId: organization.organizationId, roleId: role.roleId, name: role.name },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}
