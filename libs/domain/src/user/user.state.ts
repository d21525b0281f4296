import { assertNever } from '../shared/decider';
import type { OptionalMail } from './mail-preferences';
import type { PlatformRole, UserEvent } from './user.events';

/** A link token still outstanding: its hash and expiry (ISO-8601). */
export interface OutstandingToken {
  tokenHash: string;
  expiresAt: string;
}

export type EmailVerificationState =
  { status: 'unverified'; outstanding: OutstandingToken[] } | { status: 'verified' };

/** A sign-in awaiting its second factor. */
export interface TwoFactorChallenge {
  challengeId: string;
  expiresAt: string;
  failedAttempts: number;
}

export type TwoFactorState =
  | { status: 'disabled' }
  /** Set up, awaiting the first code: the secret the authenticator app was shown. */
  | { status: 'pending'; sealedPendingSecret: string }
  | {
      status: 'enabled';
      sealedSecret: string;
      recoveryCodeHashes: string[];
      /** Indexes of spent recovery codes. */
      usedRecoveryCodes: number[];
      /** The newest TOTP time step accepted; null before any. */
      lastUsedTimeStep: number | null;
      /** Sign-ins awaiting their second factor, newest last. */
      challenges: TwoFactorChallenge[];
      /** When the latest refused attempts happened (ISO-8601), newest last. */
      recentFailures: string[];
    };

/** How many (address, browser) pairs a user's stream remembers to tell a new device. */
export const MAX_KNOWN_DEVICES = 20;
/** How many outstanding links of one kind stay valid (the newest). */
export const MAX_OUTSTANDING_TOKENS = 5;
/** Sign-ins awaiting a second factor that stay valid (the newest). */
export const MAX_OPEN_CHALLENGES = 5;
/** Refused second-factor attempts per account within the window, whichever sign-in they came through. */
export const MAX_TWO_FACTOR_FAILURES = 10;

type TwoFactorEvent = Extract<
  UserEvent,
  {
    type:
      | 'TwoFactorSetupStarted'
      | 'TwoFactorEnabled'
      | 'TwoFactorDisabled'
      | 'TwoFactorCodeUsed'
      | 'RecoveryCodeUsed'
      | 'TwoFactorChallengeStarted'
      | 'TwoFactorChallengeCompleted'
      | 'TwoFactorAttemptFailed';
  }
>;

/** A staff member's session as this user, open until `expiresAt` unless ended. */
export interface OpenImpersonation {
  sessionId: string;
  impersonatorId: string;
  reason: string;
  expiresAt: string;
}

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
      emailVerification: EmailVerificationState;
      passwordResets: OutstandingToken[];
      twoFactor: TwoFactorState;
      /** Sessions signed in and not revoked (impersonation sessions included). */
      sessions: string[];
      /** Impersonation sessions not ended, revoked or (as of the latest one's start) expired. */
      impersonations: OpenImpersonation[];
      /** `deviceKey`s of past sign-ins, newest last. */
      knownDevices: string[];
      /** Optional mails turned off, in OPTIONAL_MAILS order. */
      mailOptOuts: OptionalMail[];
    };
export type RegisteredUserState = Extract<UserState, { status: 'registered' }>;

export function initialUserState(): UserState {
  return { status: 'unregistered' };
}

/** What makes a sign-in come from "the same device": the address and the browser. */
export function deviceKey(ip: string, userAgent: string): string {
  return `${ip} ${userAgent}`;
}

function keepNewest<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}

export function evolveTwoFactor(state: TwoFactorState, event: TwoFactorEvent): TwoFactorState {
  switch (event.type) {
    case 'TwoFactorSetupStarted':
      return { status: 'pending', sealedPendingSecret: event.data.sealedSecret };
    case 'TwoFactorEnabled':
      return {
        status: 'enabled',
        sealedSecret: event.data.sealedSecret,
        recoveryCodeHashes: event.data.recoveryCodeHashes,
        usedRecoveryCodes: [],
        lastUsedTimeStep: null,
        challenges: [],
        recentFailures: [],
      };
    case 'TwoFactorDisabled':
      return { status: 'disabled' };
    default:
      break;
  }
  if (state.status !== 'enabled') return state;
  switch (event.type) {
    case 'TwoFactorCodeUsed':
      return {
        ...state,
        lastUsedTimeStep: Math.max(state.lastUsedTimeStep ?? event.data.timeStep, event.data.timeStep),
      };
    case 'RecoveryCodeUsed':
      return { ...state, usedRecoveryCodes: [...state.usedRecoveryCodes, event.data.index] };
    case 'TwoFactorChallengeStarted':
      return {
        ...state,
        challenges: keepNewest(
          [
            ...state.challenges,
            { challengeId: event.data.challengeId, expiresAt: event.data.expiresAt, failedAttempts: 0 },
          ],
          MAX_OPEN_CHALLENGES,
        ),
      };
    case 'TwoFactorChallengeCompleted':
      return {
        ...state,
        challenges: state.challenges.filter((c) => c.challengeId !== event.data.challengeId),
      };
    case 'TwoFactorAttemptFailed':
      return {
        ...state,
        challenges: state.challenges.map((c) =>
          c.challengeId === event.data.challengeId ? { ...c, failedAttempts: c.failedAttempts + 1 } : c,
        ),
        recentFailures: keepNewest([...state.recentFailures, event.data.at], MAX_TWO_FACTOR_FAILURES),
      };
    default:
      return assertNever(event);
  }
}

function evolveRegistered(
  state: UserState,
  update: (user: RegisteredUserState) => RegisteredUserState,
): UserState {
  return state.status === 'registered' ? update(state) : state;
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
        emailVerification: { status: 'unverified', outstanding: [] },
        passwordResets: [],
        twoFactor: { status: 'disabled' },
        sessions: [],
        impersonations: [],
        knownDevices: [],
        mailOptOuts: [],
      };
    case 'PlatformRoleGranted':
      return evolveRegistered(state, (user) => ({ ...user, platformRole: event.data.platformRole }));
    case 'ActiveOrganizationSelected':
      return evolveRegistered(state, (user) => ({
        ...user,
        activeOrganizationId: event.data.organizationId,
      }));
    case 'EmailVerificationRequested':
      return evolveRegistered(state, (user) =>
        user.emailVerification.status === 'unverified'
          ? {
              ...user,
              emailVerification: {
                status: 'unverified',
                outstanding: keepNewest(
                  [
                    ...user.emailVerification.outstanding,
                    { tokenHash: event.data.tokenHash, expiresAt: event.data.expiresAt },
                  ],
                  MAX_OUTSTANDING_TOKENS,
                ),
              },
            }
          : user,
      );
    case 'EmailVerified':
      return evolveRegistered(state, (user) => ({ ...user, emailVerification: { status: 'verified' } }));
    case 'PasswordResetRequested':
      return evolveRegistered(state, (user) => ({
        ...user,
        passwordResets: keepNewest(
          [...user.passwordResets, { tokenHash: event.data.tokenHash, expiresAt: event.data.expiresAt }],
          MAX_OUTSTANDING_TOKENS,
        ),
      }));
    case 'PasswordChanged':
      // A new password voids every outstanding reset link.
      return evolveRegistered(state, (user) => ({
        ...user,
        passwordHash: event.data.passwordHash,
        passwordResets: [],
      }));
    case 'TwoFactorSetupStarted':
    case 'TwoFactorEnabled':
    case 'TwoFactorDisabled':
    case 'TwoFactorCodeUsed':
    case 'RecoveryCodeUsed':
    case 'TwoFactorChallengeStarted':
    case 'TwoFactorChallengeCompleted':
    case 'TwoFactorAttemptFailed':
      return evolveRegistered(state, (user) => ({
        ...user,
        twoFactor: evolveTwoFactor(user.twoFactor, event),
      }));
    case 'SignedIn':
      return evolveRegistered(state, (user) => {
        const key = deviceKey(event.data.ip, event.data.userAgent);
        return {
          ...user,
          sessions: [...user.sessions, event.data.sessionId],
          knownDevices: keepNewest([...user.knownDevices.filter((k) => k !== key), key], MAX_KNOWN_DEVICES),
        };
      });
    case 'SessionRevoked':
      return evolveRegistered(state, (user) => ({
        ...user,
        sessions: user.sessions.filter((id) => id !== event.data.sessionId),
        impersonations: user.impersonations.filter((i) => i.sessionId !== event.data.sessionId),
      }));
    case 'ImpersonationStarted': {
      const { sessionId, impersonatorId, reason, expiresAt, startedAt } = event.data;
      const started = Date.parse(startedAt);
      return evolveRegistered(state, (user) => ({
        ...user,
        sessions: [...user.sessions, sessionId],
        impersonations: [
          ...user.impersonations.filter((i) => Date.parse(i.expiresAt) > started),
          { sessionId, impersonatorId, reason, expiresAt },
        ],
      }));
    }
    case 'ImpersonationEnded':
      return evolveRegistered(state, (user) => ({
        ...user,
        impersonations: user.impersonations.filter((i) => i.sessionId !== event.data.sessionId),
      }));
    case 'MailPreferencesChanged':
      return evolveRegistered(state, (user) => ({ ...user, mailOptOuts: event.data.optedOut }));
    default:
      return assertNever(event);
  }
}
