import {
  hasPermission,
  isOrganizationRole,
  type OrganizationRole,
  type Permission,
} from '../permissions/permissions';
import { isPlatformStaff } from '../shared/actor';
import {
  assertNever,
  DomainError,
  type Command,
  type CommandMetadata,
  type Decider,
} from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { MemberRemoved, OrganizationEvent } from './organization.events';

export const MAX_ORGANIZATION_NAME_LENGTH = 100;

/** Stream `organization-<organizationId>`. Creates the organization with `ownerUserId` as its first owner. */
export type CreateOrganization = Command<
  'CreateOrganization',
  { organizationId: string; name: string; ownerUserId: string }
>;
/** Needs settings_manage. */
export type RenameOrganization = Command<'RenameOrganization', { name: string }>;
/** Needs members_manage. */
export type AddMember = Command<'AddMember', { userId: string; role: OrganizationRole }>;
/** Needs members_manage. The same role again records nothing. */
export type ChangeMemberRole = Command<'ChangeMemberRole', { userId: string; role: OrganizationRole }>;
/** Needs members_manage, unless the actor removes themself (reason 'left'). */
export type RemoveMember = Command<'RemoveMember', { userId: string }>;
export type OrganizationCommand =
  CreateOrganization | RenameOrganization | AddMember | ChangeMemberRole | RemoveMember;

export type OrganizationState =
  | { status: 'none' }
  | {
      status: 'active';
      organizationId: string;
      name: string;
      createdBy: string;
      /** userId -> role. Replaced, never mutated, by evolve. */
      members: ReadonlyMap<string, OrganizationRole>;
    };
export type ActiveOrganizationState = Extract<OrganizationState, { status: 'active' }>;

// ---- state helpers (also for command handlers that need membership, e.g. SelectActiveOrganization) ----

export function memberRole(state: OrganizationState, userId: string): OrganizationRole | undefined {
  return state.status === 'active' ? state.members.get(userId) : undefined;
}

export function isMember(state: OrganizationState, userId: string): boolean {
  return memberRole(state, userId) !== undefined;
}

export function memberHasPermission(
  state: OrganizationState,
  userId: string,
  permission: Permission,
): boolean {
  const role = memberRole(state, userId);
  return role !== undefined && hasPermission(role, permission);
}

export function ownerCount(state: OrganizationState): number {
  if (state.status !== 'active') return 0;
  let owners = 0;
  for (const role of state.members.values()) if (role === 'owner') owners++;
  return owners;
}

export function membersOf(state: OrganizationState): Array<{ userId: string; role: OrganizationRole }> {
  return state.status === 'active' ? [...state.members].map(([userId, role]) => ({ userId, role })) : [];
}

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

/** Membership first (non-members learn nothing), then the permission. Platform staff bypass both. */
function authorize(state: ActiveOrganizationState, metadata: CommandMetadata, permission: Permission): void {
  if (isPlatformStaff(metadata)) return;
  const role = state.members.get(metadata.actor.userId);
  if (role === undefined) throw notFound();
  if (!hasPermission(role, permission)) {
    throw new DomainError(
      'forbidden',
      'missing_permission',
      `Your role (${role}) lacks the ${permission} permission`,
      {
        permission,
        role,
      },
    );
  }
}

function requireRole(value: unknown): OrganizationRole {
  if (!isOrganizationRole(value)) {
    throw new DomainError('validation', 'invalid_role', 'role must be one of the organization roles', {
      field: 'role',
    });
  }
  return value;
}

function requireMember(state: ActiveOrganizationState, userId: string): OrganizationRole {
  const role = state.members.get(userId);
  if (role === undefined) {
    throw new DomainError('not_found', 'member_not_found', 'No such member in this organization', { userId });
  }
  return role;
}

function lastOwner(): DomainError {
  return new DomainError('conflict', 'last_owner', 'An organization must keep at least one owner');
}

export function initialOrganizationState(): OrganizationState {
  return { status: 'none' };
}

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
    case 'AddMember': {
      const organization = requireActive(state);
      authorize(organization, command.metadata, 'members_manage');
      const userId = requireId(command.data.userId, 'userId');
      const role = requireRole(command.data.role);
      if (organization.members.has(userId)) {
        throw new DomainError('conflict', 'already_member', 'This user is already a member', {
          userId,
          role: organization.members.get(userId),
        });
      }
      return [{ type: 'MemberAdded', data: { organizationId: organization.organizationId, userId, role } }];
    }
    case 'ChangeMemberRole': {
      const organization = requireActive(state);
      authorize(organization, command.metadata, 'members_manage');
      const userId = requireId(command.data.userId, 'userId');
      const role = requireRole(command.data.role);
      const previousRole = requireMember(organization, userId);
      if (role === previousRole) return [];
      if (previousRole === 'owner' && ownerCount(organization) === 1) throw lastOwner();
      return [
        {
          type: 'MemberRoleChanged',
          data: { organizationId: organization.organizationId, userId, role, previousRole },
        },
      ];
    }
    case 'RemoveMember': {
      const organization = requireActive(state);
      const userId = requireId(command.data.userId, 'userId');
      const leaving = userId === command.metadata.actor.userId && organization.members.has(userId);
      if (!leaving) authorize(organization, command.metadata, 'members_manage');
      const role = requireMember(organization, userId);
      if (role === 'owner' && ownerCount(organization) === 1) throw lastOwner();
      const reason: MemberRemoved['data']['reason'] = leaving ? 'left' : 'removed';
      return [
        {
          type: 'MemberRemoved',
          data: { organizationId: organization.organizationId, userId, role, reason },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export function evolveOrganization(state: OrganizationState, event: OrganizationEvent): OrganizationState {
  switch (event.type) {
    case 'OrganizationCreated':
      return {
        status: 'active',
        organizationId: event.data.organizationId,
        name: event.data.name,
        createdBy: event.data.createdBy,
        members: new Map(),
      };
    case 'OrganizationRenamed':
      return state.status === 'active' ? { ...state, name: event.data.name } : state;
    case 'MemberAdded':
    case 'MemberRoleChanged': {
      if (state.status !== 'active') return state;
      const members = new Map(state.members);
      members.set(event.data.userId, event.data.role);
      return { ...state, members };
    }
    case 'MemberRemoved': {
      if (state.status !== 'active') return state;
      const members = new Map(state.members);
      members.delete(event.data.userId);
      return { ...state, members };
    }
    default:
      return assertNever(event);
  }
}

export const organizationDecider: Decider<OrganizationState, OrganizationCommand, OrganizationEvent> = {
  decide: decideOrganization,
  evolve: evolveOrganization,
  initialState: initialOrganizationState,
};
