import type { DomainEvent } from '../shared/decider';
import type { OptionalMail } from './mail-preferences';

export type PlatformRole = 'admin' | 'customer';

/** How a password came to change: by its owner knowing the old one, or through a mailed reset link. */
export type PasswordChangeVia = 'change' | 'reset';

/** Stream `useremail-<email>`: the reservation that makes an email unique. */
export type EmailClaimed = DomainEvent<'EmailClaimed', { email: string; userId: string }>;

/** Stream `user-<userId>`. */
export type UserRegistered = DomainEvent<
  'UserRegistered',
  { userId: string; email: string; name: string; passwordHash: string; platformRole: PlatformRole }
>;
export type PlatformRoleGranted = DomainEvent<
  'PlatformRoleGranted',
  { userId: string; platformRole: PlatformRole }
>;
export type ActiveOrganizationSelected = DomainEvent<
  'ActiveOrganizationSelected',
  { userId: string; organizationId: string }
>;

/**
 * A verification link was issued. `tokenHash` is the sha256 (hex) of the raw token; `sealedToken` is the raw
 * token sealed with SECRETS_ENCRYPTION_KEY (associated data `EmailVerificationRequested:<userId>`) so that the
 * mailer can put it in the link. The raw token never appears in clear in an event.
 */
export type EmailVerificationRequested = DomainEvent<
  'EmailVerificationRequested',
  { userId: string; email: string; tokenHash: string; expiresAt: string; sealedToken: string }
>;
export type EmailVerified = DomainEvent<'EmailVerified', { userId: string; email: string }>;
/** Like EmailVerificationRequested, associated data `PasswordResetRequested:<userId>`. */
export type PasswordResetRequested = DomainEvent<
  'PasswordResetRequested',
  { userId: string; email: string; tokenHash: string; expiresAt: string; sealedToken: string }
>;
export type PasswordChanged = DomainEvent<
  'PasswordChanged',
  { userId: string; passwordHash: string; via: PasswordChangeVia }
>;
/**
 * `sealedSecret`: the TOTP secret (base32) sealed with associated data `TwoFactorEnabled:<userId>`;
 * `recoveryCodeHashes`: sha256 (hex) of each one-time recovery code, by index.
 */
export type TwoFactorEnabled = DomainEvent<
  'TwoFactorEnabled',
  { userId: string; sealedSecret: string; recoveryCodeHashes: string[] }
>;
export type TwoFactorDisabled = DomainEvent<'TwoFactorDisabled', { userId: string }>;
export type RecoveryCodeUsed = DomainEvent<'RecoveryCodeUsed', { userId: string; index: number }>;
/**
 * A TOTP secret awaiting its first code (setup again replaces it): sealed like TwoFactorEnabled's, with associated
 * data `TwoFactorSetupStarted:<userId>`.
 */
export type TwoFactorSetupStarted = DomainEvent<
  'TwoFactorSetupStarted',
  { userId: string; sealedSecret: string }
>;
/** A TOTP code was accepted: its RFC 6238 time step (unix seconds / 30); no code of this or an earlier step is taken again. */
export type TwoFactorCodeUsed = DomainEvent<'TwoFactorCodeUsed', { userId: string; timeStep: number }>;
/** A password sign-in of a user with 2FA on awaits its second factor (the mfaToken names `challengeId`). */
export type TwoFactorChallengeStarted = DomainEvent<
  'TwoFactorChallengeStarted',
  { userId: string; challengeId: string; expiresAt: string }
>;
export type TwoFactorChallengeCompleted = DomainEvent<
  'TwoFactorChallengeCompleted',
  { userId: string; challengeId: string; method: 'code' | 'recovery_code' }
>;
/** Why a second-factor attempt (sign-in step or disabling 2FA) was refused. */
export type TwoFactorFailureReason =
  'invalid_code' | 'code_reused' | 'invalid_recovery_code' | 'invalid_password';
/**
 * A refused second-factor attempt, recorded so that attempts are limited per sign-in (`challengeId`) and per
 * account (`at`, within a window); `challengeId` is null when disabling 2FA.
 */
export type TwoFactorAttemptFailed = DomainEvent<
  'TwoFactorAttemptFailed',
  { userId: string; challengeId: string | null; reason: TwoFactorFailureReason; at: string }
>;
/** `newDevice`: the user had signed in before, never from this address with this browser. */
export type SignedIn = DomainEvent<
  'SignedIn',
  { userId: string; sessionId: string; ip: string; userAgent: string; newDevice: boolean }
>;
export type SessionRevoked = DomainEvent<'SessionRevoked', { userId: string; sessionId: string }>;
/**
 * Staff member `impersonatorId` opened session `sessionId` as this user, until `expiresAt` at the latest, for
 * `reason` (told to the user by mail). Every event appended in that session carries `impersonatorId` in its actor.
 */
export type ImpersonationStarted = DomainEvent<
  'ImpersonationStarted',
  {
    userId: string;
    sessionId: string;
    impersonatorId: string;
    reason: string;
    startedAt: string;
    expiresAt: string;
  }
>;
/** The impersonation session was stopped (a SessionRevoked of it follows). */
export type ImpersonationEnded = DomainEvent<
  'ImpersonationEnded',
  { userId: string; sessionId: string; impersonatorId: string; endedAt: string }
>;
/** The optional mails the user turned off (the whole set, in OPTIONAL_MAILS order); every other one is sent. */
export type MailPreferencesChanged = DomainEvent<
  'MailPreferencesChanged',
  { userId: string; optedOut: OptionalMail[] }
>;

export type UserEvent =
  | UserRegistered
  | PlatformRoleGranted
  | ActiveOrganizationSelected
  | EmailVerificationRequested
  | EmailVerified
  | PasswordResetRequested
  | PasswordChanged
  | TwoFactorEnabled
  | TwoFactorDisabled
  | RecoveryCodeUsed
  | TwoFactorSetupStarted
  | TwoFactorCodeUsed
  | TwoFactorChallengeStarted
  | TwoFactorChallengeCompleted
  | TwoFactorAttemptFailed
  | SignedIn
  | SessionRevoked
  | ImpersonationStarted
  | ImpersonationEnded
  | MailPreferencesChanged;
export type EmailClaimEvent = EmailClaimed;
