import { PLATFORM_ADMIN_ROLE } from '../permissions/permissions';
import { isPlatformStaff } from '../shared/actor';
import { assertNever, DomainError, type CommandMetadata } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import { requireEmail } from './email';
import { isOptionalMail, OPTIONAL_MAILS, sortOptionalMails } from './mail-preferences';
import type { IssuedTokenData, UserCommand } from './user.commands';
import type { PlatformRole, UserEvent } from './user.events';
import { deviceKey, type OutstandingToken, type RegisteredUserState, type UserState } from './user.state';
import { decideTwoFactor } from './user.two-factor';
import { requireInstant, requireSha256 } from './user.validation';

export const PLATFORM_ROLES: readonly PlatformRole[] = ['admin', 'customer'];
export const MAX_USER_NAME_LENGTH = 100;
/** An impersonation session lasts at most this long. */
export const IMPERSONATION_MAX_SECONDS = 3600;
export const MAX_IMPERSONATION_REASON_LENGTH = 500;
const MAX_USER_AGENT_LENGTH = 500;

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

function requirePasswordHash(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new DomainError('validation', 'invalid_password_hash', 'passwordHash must be a non-empty string', {
      field: 'passwordHash',
    });
  }
  return value;
}

function requireIssuedToken(data: IssuedTokenData, metadata: CommandMetadata): IssuedTokenData {
  const tokenHash = requireSha256(data.tokenHash, 'tokenHash', 'invalid_token_hash');
  if (requireInstant(data.expiresAt, 'expiresAt') <= Date.parse(metadata.now)) {
    throw new DomainError('validation', 'invalid_expires_at', 'expiresAt must be in the future', {
      field: 'expiresAt',
    });
  }
  if (typeof data.sealedToken !== 'string' || data.sealedToken.length === 0) {
    throw new DomainError('validation', 'invalid_sealed_token', 'sealedToken must be a non-empty string', {
      field: 'sealedToken',
    });
  }
  return { tokenHash, expiresAt: data.expiresAt, sealedToken: data.sealedToken };
}

/**
 * The outstanding token with this hash, if unexpired. Unknown, spent and expired tokens are told apart only
 * by expiry (an expired link says so; anything else is just invalid).
 */
function redeemToken(
  outstanding: OutstandingToken[],
  tokenHash: unknown,
  metadata: CommandMetadata,
  kind: 'verification' | 'reset',
): void {
  const token =
    typeof tokenHash === 'string' ? outstanding.find((t) => t.tokenHash === tokenHash) : undefined;
  if (!token) {
    throw new DomainError('validation', 'invalid_token', `This ${kind} link is invalid or was already used`, {
      field: 'token',
    });
  }
  if (Date.parse(token.expiresAt) <= Date.parse(metadata.now)) {
    throw new DomainError('validation', 'token_expired', `This ${kind} link has expired`, {
      field: 'token',
    });
  }
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

/** What only the account's owner may do (it needs their password or second factor). */
function requireSelf(user: RegisteredUserState, metadata: CommandMetadata): void {
  if (metadata.actor.userId !== user.userId) {
    throw new DomainError('not_found', 'user_not_found', 'User not found');
  }
}

function revokeSessions(user: RegisteredUserState, keep: string | null): UserEvent[] {
  return user.sessions
    .filter((sessionId) => sessionId !== keep)
    .map((sessionId) => ({ type: 'SessionRevoked', data: { userId: user.userId, sessionId } }));
}

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'RegisterUser': {
      const { data } = command;
      const userId = requireId(data.userId, 'userId');
      const email = requireEmail(data.email);
      const name = requireText(data.name, 'name', 'invalid_name', MAX_USER_NAME_LENGTH);
      const passwordHash = requirePasswordHash(data.passwordHash);
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
      return [{ type: 'UserRegistered', data: { userId, email, name, passwordHash, platformRole } }];
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
    case 'RequestEmailVerification': {
      const user = requireRegistered(state);
      requireSelfOrStaff(user, command.metadata);
      if (user.emailVerification.status === 'verified') {
        throw new DomainError('conflict', 'email_already_verified', 'This email address is already verified');
      }
      const token = requireIssuedToken(command.data, command.metadata);
      return [
        { type: 'EmailVerificationRequested', data: { userId: user.userId, email: user.email, ...token } },
      ];
    }
    case 'VerifyEmail': {
      // The link's token is the authority: whoever follows it (signed in or not) verifies the address.
      const user = requireRegistered(state);
      switch (user.emailVerification.status) {
        case 'verified':
          throw new DomainError(
            'conflict',
            'email_already_verified',
            'This email address is already verified',
          );
        case 'unverified':
          redeemToken(
            user.emailVerification.outstanding,
            command.data.tokenHash,
            command.metadata,
            'verification',
          );
          return [{ type: 'EmailVerified', data: { userId: user.userId, email: user.email } }];
        default:
          return assertNever(user.emailVerification);
      }
    }
    case 'RequestPasswordReset': {
      const user = requireRegistered(state);
      const token = requireIssuedToken(command.data, command.metadata);
      return [{ type: 'PasswordResetRequested', data: { userId: user.userId, email: user.email, ...token } }];
    }
    case 'ResetPassword': {
      const user = requireRegistered(state);
      const passwordHash = requirePasswordHash(command.data.passwordHash);
      redeemToken(user.passwordResets, command.data.tokenHash, command.metadata, 'reset');
      return [
        { type: 'PasswordChanged', data: { userId: user.userId, passwordHash, via: 'reset' } },
        ...revokeSessions(user, null),
      ];
    }
    case 'ChangePassword': {
      const user = requireRegistered(state);
      requireSelf(user, command.metadata);
      const passwordHash = requirePasswordHash(command.data.passwordHash);
      if (command.data.currentPasswordValid !== true) {
        throw new DomainError(
          'validation',
          'invalid_current_password',
          'The current password is not correct',
          {
            field: 'currentPassword',
          },
        );
      }
      return [
        { type: 'PasswordChanged', data: { userId: user.userId, passwordHash, via: 'change' } },
        ...revokeSessions(user, command.data.currentSessionId),
      ];
    }
    case 'StartTwoFactorSetup':
    case 'EnableTwoFactor':
    case 'DisableTwoFactor':
    case 'StartTwoFactorChallenge':
    case 'CompleteTwoFactorChallenge': {
      // Every 2FA step needs the owner's password, session or code: staff cannot act for them.
      const user = requireRegistered(state);
      requireSelf(user, command.metadata);
      return decideTwoFactor(command, user);
    }
    case 'SignIn': {
      const user = requireRegistered(state);
      requireSelfOrStaff(user, command.metadata);
      const sessionId = requireId(command.data.sessionId, 'sessionId');
      const ip = requireText(command.data.ip, 'ip', 'invalid_ip', 100);
      const userAgent =
        typeof command.data.userAgent === 'string'
          ? command.data.userAgent.slice(0, MAX_USER_AGENT_LENGTH)
          : '';
      // A retried sign-in records nothing new.
      if (user.sessions.includes(sessionId)) return [];
      const newDevice = user.knownDevices.length > 0 && !user.knownDevices.includes(deviceKey(ip, userAgent));
      return [{ type: 'SignedIn', data: { userId: user.userId, sessionId, ip, userAgent, newDevice } }];
    }
    case 'RevokeSession': {
      const user = requireRegistered(state);
      requireSelfOrStaff(user, command.metadata);
      const sessionId = requireId(command.data.sessionId, 'sessionId');
      if (!user.sessions.includes(sessionId)) {
        throw new DomainError('not_found', 'session_not_found', 'Session not found', { sessionId });
      }
      return [{ type: 'SessionRevoked', data: { userId: user.userId, sessionId } }];
    }
    case 'RevokeOtherSessions': {
      const user = requireRegistered(state);
      requireSelfOrStaff(user, command.metadata);
      return revokeSessions(user, command.data.keepSessionId);
    }
    case 'StartImpersonation': {
      const user = requireRegistered(state);
      const { actor, now } = command.metadata;
      // A person: the system has no one to name as the impersonator.
      if (actor.role !== PLATFORM_ADMIN_ROLE) {
        throw new DomainError(
          'forbidden',
          'platform_admin_required',
          'Only platform staff may impersonate users',
        );
      }
      if (user.platformRole === PLATFORM_ADMIN_ROLE || actor.userId === user.userId) {
        throw new DomainError(
          'forbidden',
          'staff_not_impersonable',
          'Platform staff cannot be impersonated; ask them directly',
        );
      }
      const sessionId = requireId(command.data.sessionId, 'sessionId');
      const reason = requireText(
        command.data.reason,
        'reason',
        'invalid_reason',
        MAX_IMPERSONATION_REASON_LENGTH,
      );
      const expiresAt = requireInstant(command.data.expiresAt, 'expiresAt');
      const start = Date.parse(now);
      if (expiresAt <= start || expiresAt > start + IMPERSONATION_MAX_SECONDS * 1000) {
        throw new DomainError(
          'validation',
          'invalid_expires_at',
          `An impersonation lasts at most ${IMPERSONATION_MAX_SECONDS / 60} minutes`,
          { field: 'expiresAt' },
        );
      }
      if (user.sessions.includes(sessionId)) return [];
      return [
        {
          type: 'ImpersonationStarted',
          data: {
            userId: user.userId,
            sessionId,
            impersonatorId: actor.userId,
            reason,
            startedAt: now,
            expiresAt: new Date(expiresAt).toISOString(),
          },
        },
      ];
    }
    case 'EndImpersonation': {
      const user = requireRegistered(state);
      requireSelfOrStaff(user, command.metadata);
      const open = user.impersonations.find((i) => i.sessionId === command.data.sessionId);
      if (!open) {
        throw new DomainError(
          'not_found',
          'impersonation_not_found',
          'This session is not an impersonation',
          {
            sessionId: String(command.data.sessionId).slice(0, 100),
          },
        );
      }
      return [
        {
          type: 'ImpersonationEnded',
          data: {
            userId: user.userId,
            sessionId: open.sessionId,
            impersonatorId: open.impersonatorId,
            endedAt: command.metadata.now,
          },
        },
        { type: 'SessionRevoked', data: { userId: user.userId, sessionId: open.sessionId } },
      ];
    }
    case 'ChangeMailPreferences': {
      const user = requireRegistered(state);
      requireSelf(user, command.metadata);
      const { optedOut } = command.data;
      if (!Array.isArray(optedOut)) {
        throw new DomainError('validation', 'invalid_mail_preferences', 'optedOut must be a list of mails', {
          field: 'optedOut',
        });
      }
      const unknown = optedOut.filter((mail) => !isOptionalMail(mail));
      if (unknown.length > 0) {
        throw new DomainError(
          'validation',
          'invalid_mail_preferences',
          `Only optional mails can be turned off: ${Object.keys(OPTIONAL_MAILS).join(', ')}`,
          { field: 'optedOut', unknown, allowed: Object.keys(OPTIONAL_MAILS) },
        );
      }
      const next = sortOptionalMails(optedOut.filter(isOptionalMail));
      // Saving the same choice again records nothing.
      if (next.join() === user.mailOptOuts.join()) return [];
      return [{ type: 'MailPreferencesChanged', data: { userId: user.userId, optedOut: next } }];
    }
    default:
      return assertNever(command);
  }
}
