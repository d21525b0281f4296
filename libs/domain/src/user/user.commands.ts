import type { Command } from '../shared/decider';
import type { PlatformRole } from './user.events';

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

/**
 * A one-time link token as the domain sees it: only its sha256 (hex), its expiry and the raw token sealed
 * for the mailer (the caller draws the random token and seals it; the domain never sees it in clear).
 */
export interface IssuedTokenData {
  tokenHash: string;
  expiresAt: string;
  sealedToken: string;
}

/** Issue an email verification link (refused once the address is verified). */
export type RequestEmailVerification = Command<'RequestEmailVerification', IssuedTokenData>;
/** Follow a verification link: the token must be one issued, unused and unexpired. */
export type VerifyEmail = Command<'VerifyEmail', { tokenHash: string }>;
/** Issue a password reset link (anyone may ask; the caller answers the same whether or not the user exists). */
export type RequestPasswordReset = Command<'RequestPasswordReset', IssuedTokenData>;
/** Follow a reset link: sets the password and ends every session. Every outstanding reset link dies with it. */
export type ResetPassword = Command<'ResetPassword', { tokenHash: string; passwordHash: string }>;
/**
 * The owner changes their password; `currentPasswordValid` is established by the caller (hash check).
 * Ends every session but `currentSessionId`.
 */
export type ChangePassword = Command<
  'ChangePassword',
  { passwordHash: string; currentPasswordValid: boolean; currentSessionId: string | null }
>;
/** Setting 2FA up: a fresh TOTP secret, sealed by the caller, awaiting its first code (setup again replaces it). */
export type StartTwoFactorSetup = Command<'StartTwoFactorSetup', { sealedSecret: string }>;
/**
 * `timeStep`: the TOTP time step the caller found the typed code to match (checked against the pending secret at
 * `metadata.now`), null when it matched none. `sealedSecret` is the pending secret sealed for TwoFactorEnabled.
 */
export type EnableTwoFactor = Command<
  'EnableTwoFactor',
  { sealedSecret: string; recoveryCodeHashes: string[]; timeStep: number | null }
>;
export type DisableTwoFactor = Command<
  'DisableTwoFactor',
  { passwordValid: boolean; timeStep: number | null }
>;
/** The password was right and 2FA is on: a sign-in awaits its second factor until `expiresAt`. */
export type StartTwoFactorChallenge = Command<
  'StartTwoFactorChallenge',
  { challengeId: string; expiresAt: string }
>;
/** What the user gave as a second factor: a TOTP code (its matched step, or null) or a recovery code (its sha256 hex). */
export type TwoFactorProof =
  { kind: 'code'; timeStep: number | null } | { kind: 'recovery_code'; codeHash: string };
export type CompleteTwoFactorChallenge = Command<
  'CompleteTwoFactorChallenge',
  { challengeId: string; proof: TwoFactorProof }
>;
/** A completed sign-in (password, and second factor when enabled, checked by the caller). */
export type SignIn = Command<'SignIn', { sessionId: string; ip: string; userAgent: string }>;
export type RevokeSession = Command<'RevokeSession', { sessionId: string }>;
/** Ends every session but `keepSessionId` (null: every session). */
export type RevokeOtherSessions = Command<'RevokeOtherSessions', { keepSessionId: string | null }>;

/**
 * A platform admin (the actor) opens session `sessionId` as this user until `expiresAt` (at most
 * IMPERSONATION_MAX_SECONDS away); never as another platform admin.
 */
export type StartImpersonation = Command<
  'StartImpersonation',
  { sessionId: string; reason: string; expiresAt: string }
>;
/** Ends an open impersonation session (the session itself asks, or staff). */
export type EndImpersonation = Command<'EndImpersonation', { sessionId: string }>;

/** The owner chooses which optional mails (OPTIONAL_MAILS) they do not want; the rest are sent. */
export type ChangeMailPreferences = Command<'ChangeMailPreferences', { optedOut: string[] }>;

export type UserCommand =
  | RegisterUser
  | GrantPlatformRole
  | SelectActiveOrganization
  | RequestEmailVerification
  | VerifyEmail
  | RequestPasswordReset
  | ResetPassword
  | ChangePassword
  | StartTwoFactorSetup
  | EnableTwoFactor
  | DisableTwoFactor
  | StartTwoFactorChallenge
  | CompleteTwoFactorChallenge
  | SignIn
  | RevokeSession
  | RevokeOtherSessions
  | StartImpersonation
  | EndImpersonation
  | ChangeMailPreferences;
