import { PERMISSIONS, type Permission } from '../permissions/permissions';
import { isPlatformStaff } from '../shared/actor';
import { assertNever, type CommandMetadata } from '../shared/decider';
import type { OrganizationEvent } from './organization.events';
import { resolveRole, type CustomRole, type ResolvedRole, type RoleId } from './organization.roles';

export interface PendingInvitation {
  status: 'pending';
  invitationId: string;
  email: string;
  role: RoleId;
  tokenHash: string;
  /** ISO-8601; past it the invitation can no longer be accepted. */
  expiresAt: string;
  invitedBy: string;
}

/** Kept so that a used, declined or revoked token is told apart from an unknown one. */
export interface ClosedInvitation {
  status: 'accepted' | 'declined' | 'revoked';
  invitationId: string;
  email: string;
  tokenHash: string;
}

export type Invitation = PendingInvitation | ClosedInvitation;

export type OrganizationState =
  | { status: 'none' }
  | {
      status: 'active';
      organizationId: string;
      name: string;
      createdBy: string;
      /** userId -> role. Maps are replaced, never mutated, by evolve. */
      members: ReadonlyMap<string, RoleId>;
      /** roleId -> the organization's own roles. */
      customRoles: ReadonlyMap<string, CustomRole>;
      /** invitationId -> every invitation ever made, pending or closed. */
      invitations: ReadonlyMap<string, Invitation>;
    };
export type ActiveOrganizationState = Extract<OrganizationState, { status: 'active' }>;

export function initialOrganizationState(): OrganizationState {
  return { status: 'none' };
}

// ---- state helpers (for command handlers and the API's access check) ----

export function memberRole(state: OrganizationState, userId: string): RoleId | undefined {
  return state.status === 'active' ? state.members.get(userId) : undefined;
}

export function isMember(state: OrganizationState, userId: string): boolean {
  return memberRole(state, userId) !== undefined;
}

/** A role of this organization (predefined or its own), or undefined. */
export function roleOf(state: OrganizationState, roleId: RoleId): ResolvedRole | undefined {
  return resolveRole(roleId, state.status === 'active' ? state.customRoles : new Map());
}

/**
 * A member's role and effective permissions, or undefined for a non-member. Where the API decides what a member
 * may do (OrganizationAccess), and what anything acting for a member (an API key) is capped by.
 */
export function memberAccess(state: OrganizationState, userId: string): ResolvedRole | undefined {
  const role = memberRole(state, userId);
  if (role === undefined) return undefined;
  // A member's role always resolves (a role in use cannot be deleted); no permission if it ever did not.
  return roleOf(state, role) ?? { roleId: role, name: role, builtIn: false, permissions: [] };
}

export function memberPermissions(state: OrganizationState, userId: string): readonly Permission[] {
  return memberAccess(state, userId)?.permissions ?? [];
}

export function memberHasPermission(
  state: OrganizationState,
  userId: string,
  permission: Permission,
): boolean {
  return memberPermissions(state, userId).includes(permission);
}

/**
 * What the command's actor may do here: platform staff and the system everything, a member their role; both
 * narrowed to their credential's scopes (an API key acting for its owner).
 */
export function actorPermissions(state: OrganizationState, metadata: CommandMetadata): readonly Permission[] {
  const held = isPlatformStaff(metadata) ? PERMISSIONS : memberPermissions(state, metadata.actor.userId);
  const { scopes } = metadata;
  return scopes ? held.filter((p) => scopes.includes(p)) : held;
}

export function ownerCount(state: OrganizationState): number {
  if (state.status !== 'active') return 0;
  let owners = 0;
  for (const role of state.members.values()) if (role === 'owner') owners++;
  return owners;
}

export function membersOf(state: OrganizationState): Array<{ userId: string; role: RoleId }> {
  return state.status === 'active' ? [...state.members].map(([userId, role]) => ({ userId, role })) : [];
}

export function isExpired(invitation: PendingInvitation, now: string): boolean {
  return Date.parse(now) >= Date.parse(invitation.expiresAt);
}

/** Pending invitations that can still be accepted at `now`. */
export function openInvitations(state: OrganizationState, now: string): PendingInvitation[] {
  if (state.status !== 'active') return [];
  return [...state.invitations.values()].filter(
    (i): i is PendingInvitation => i.status === 'pending' && !isExpired(i, now),
  );
}

export function invitationByTokenHash(state: OrganizationState, tokenHash: string): Invitation | undefined {
  if (state.status !== 'active') return undefined;
  for (const invitation of state.invitations.values())
    if (invitation.tokenHash === tokenHash) return invitation;
  return undefined;
}

// ---- evolve ----

function withEntry<V>(map: ReadonlyMap<string, V>, key: string, value: V | null): ReadonlyMap<string, V> {
  const next = new Map(map);
  if (value === null) next.delete(key);
  else next.set(key, value);
  return next;
}

function closeInvitation(
  state: ActiveOrganizationState,
  invitationId: string,
  status: ClosedInvitation['status'],
): OrganizationState {
  const invitation = state.invitations.get(invitationId);
  if (!invitation) return state;
  const closed: ClosedInvitation = {
    status,
    invitationId,
    email: invitation.email,
    tokenHash: invitation.tokenHash,
  };
  return { ...state, invitations: withEntry(state.invitations, invitationId, closed) };
}

export function evolveOrganization(state: OrganizationState, event: OrganizationEvent): OrganizationState {
  if (event.type === 'OrganizationCreated') {
    return {
      status: 'active',
      organizationId: event.data.organizationId,
      name: event.data.name,
      createdBy: event.data.createdBy,
      members: new Map(),
      customRoles: new Map(),
      invitations: new Map(),
    };
  }
  if (state.status !== 'active') return state;
  switch (event.type) {
    case 'OrganizationRenamed':
      return { ...state, name: event.data.name };
    case 'MemberAdded':
    case 'MemberRoleChanged':
      return { ...state, members: withEntry(state.members, event.data.userId, event.data.role) };
    case 'MemberRemoved':
      return { ...state, members: withEntry(state.members, event.data.userId, null) };
    case 'CustomRoleCreated':
    case 'CustomRoleUpdated': {
      const { roleId, name, permissions } = event.data;
      return { ...state, customRoles: withEntry(state.customRoles, roleId, { roleId, name, permissions }) };
    }
    case 'CustomRoleDeleted':
      return { ...state, customRoles: withEntry(state.customRoles, event.data.roleId, null) };
    case 'InvitationCreated': {
      const { invitationId, email, role, tokenHash, expiresAt, invitedBy } = event.data;
      const invitation: PendingInvitation = {
        status: 'pending',
        invitationId,
        email,
        role,
        tokenHash,
        expiresAt,
        invitedBy,
      };
      return { ...state, invitations: withEntry(state.invitations, invitationId, invitation) };
    }
    case 'InvitationRevoked':
      return closeInvitation(state, event.data.invitationId, 'revoked');
    case 'InvitationAccepted':
      return closeInvitation(state, event.data.invitationId, 'accepted');
    case 'InvitationDeclined':
      return closeInvitation(state, event.data.invitationId, 'declined');
    default:
      return assertNever(event);
  }
}
