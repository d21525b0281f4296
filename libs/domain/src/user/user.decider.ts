import { isPlatformStaff } from '../shared/actor';
import {
  assertNever,
  DomainError,
  type Command,
  type CommandMetadata,
  type Decider,
} from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import { requireEmail } from './email';
import type { PlatformRole, UserEvent } from './user.events';

export const PLATFORM_ROLES: readonly PlatformRole[] = ['admin', 'customer'];
export const MAX_USER_NAME_LENGTH = 100;

/** Stream `user-<userId>`. Registering a platform admin requires a staff actor (role 'admin' or 'system'). */
export type RegisterUser = Command<
  'RegisterUser',
  { userId: string; email: string; name: string; passwordHash: string; platformRole: PlatformRole }
>;
/** Only platform staff (actor role 'admin' or 'system') may grant; granting the current role records nothing. */
export type GrantPlatformRole = Command<'GrantPlatformRole', { platformRole: PlatformRole }>;
/** `isMember` is established by the caller against the organization's state (see organization `isMember`). */
export type SelectActiveOrganization = Command<
  'SelectActiveOrganization',
  { organizationId: string; isMember: boolean }
>;
export type UserCommand = RegisterUser | GrantPlatformRole | SelectActiveOrganization;

export type UserState =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      userId: string;
      email: string;
      name: string;
      passwordHash: string;
      platformRole: PlatformRole;
      activeOrganizationId: string | null;
    };
export type RegisteredUserState = Extract<UserState, { status: 'registered' }>;

export function isPlatformRole(value: unknown): value is PlatformRole {
  return typeof value === 'string' && (PLATFORM_ROLES as readonly string[]).includes(value);
}

function requirePlatformRole(value: unknown): PlatformRole {
  if (!isPlatformRole(value)) {
    throw new DomainError(
      'validation',
      'invalid_platform_role',
      `platformRole must be one of ${PLATFORM_ROLES.join(', ')}`,
      {
        field: 'platformRole',
        allowed: PLATFORM_ROLES,
      },
    );
  }
  return value;
}

function requireRegistered(state: UserState): RegisteredUserState {
  switch (state.status) {
    case 'registered':
      return state;
    case 'unregistered':
      throw new DomainError('not_found', 'user_not_found', 'User not found');
    default:
      return assertNever(state);
  }
}

function requireSelfOrStaff(user: RegisteredUserState, metadata: CommandMetadata): void {
  // Someone else's account is indistinguishable from no account.
  if (metadata.actor.userId !== user.userId && !isPlatformStaff(metadata)) {
    throw new DomainError('not_found', 'user_not_found', 'User not found');
  }
}

export function initialUserState(): UserState {
  return { status: 'unregistered' };
}

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      const { data } = command;
      const userId = requireId(data.userId, 'userId');
      const email = requireEmail(data.email);
      const name = requireText(data.name, 'name', 'invalid_name', MAX_USER_NAME_LENGTH);
      if (typeof data.passwordHash !== 'string' || data.passwordHash.length === 0) {
        throw new DomainError(
          'validation',
          'invalid_password_hash',
          'passwordHash must be a non-empty string',
          {
            field: 'passwordHash',
          },
        );
      }
      const platformRole = requirePlatformRole(data.platformRole);
      if (platformRole === 'admin' && !isPlatformStaff(command.metadata)) {
        throw new DomainError(
          'forbidden',
          'platform_admin_required',
          'Only platform staff may register platform admins',
        );
      }
      if (state.status === 'registered') {
        throw new DomainError('conflict', 'user_already_registered', 'This user is already registered', {
          userId,
        });
      }
      return [
        {
          type: 'UserRegistered',
          data: { userId, email, name, passwordHash: data.passwordHash, platformRole },
        },
      ];
    }
    case 'GrantPlatformRole': {
      const user = requireRegistered(state);
      if (!isPlatformStaff(command.metadata)) {
        throw new DomainError(
          'forbidden',
          'platform_admin_required',
          'Only platform staff may grant platform roles',
        );
      }
      const platformRole = requirePlatformRole(command.data.platformRole);
      if (user.platformRole === platformRole) return [];
      return [{ type: 'PlatformRoleGranted', data: { userId: user.userId, platformRole } }];
    }
    case 'SelectActiveOrganization': {
      const user = requireRegistered(state);
      requireSelfOrStaff(user, command.metadata);
      const organizationId = requireId(command.data.organizationId, 'organizationId');
      if (command.data.isMember !== true) {
        throw new DomainError('not_found', 'organization_not_found', 'Organization not found', {
          organizationId,
        });
      }
      if (user.activeOrganizationId === organizationId) return [];
      return [{ type: 'ActiveOrganizationSelected', data: { userId: user.userId, organizationId } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveUser(state: UserState, event: UserEvent): UserState {
  switch (event.type) {
    case 'UserRegistered':
      return {
        status: 'registered',
        userId: event.data.userId,
        email: event.data.email,
        name: event.data.name,
        passwordHash: event.data.passwordHash,
        platformRole: event.data.platformRole,
        activeOrganizationId: null,
      };
    case 'PlatformRoleGranted':
      return state.status === 'registered' ? { ...state, platformRole: event.data.platformRole } : state;
    case 'ActiveOrganizationSelected':
      return state.status === 'registered'
        ? { ...state, activeOrganizationId: event.data.organizationId }
        : state;
    default:
      return assertNever(event);
  }
}

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  decide: decideUser,
  evolve: evolveUser,
  initialState: initialUserState,
};
