import { assertNever, DomainError, type CommandMetadata } from '../shared/decider';
import { requireId } from '../shared/validation';
import type {
  CompleteTwoFactorChallenge,
  DisableTwoFactor,
  EnableTwoFactor,
  StartTwoFactorChallenge,
  StartTwoFactorSetup,
} from './user.commands';
import type { TwoFactorFailureReason, UserEvent } from './user.events';
import { MAX_TWO_FACTOR_FAILURES, type RegisteredUserState, type TwoFactorState } from './user.state';
import { requireInstant, requireSha256 } from './user.validation';

/** How many one-time recovery codes enabling 2FA hands out. */
export const RECOVERY_CODE_COUNT = 10;
/** RFC 6238 defaults: 30-second steps; a code of the step before or after is accepted too (clock drift). */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_WINDOW_STEPS = 1;
/** How long a sign-in waits for its second factor (the mfaToken's lifetime). */
export const TWO_FACTOR_CHALLENGE_TTL_SECONDS = 300;
/** Refused codes per sign-in; then the password must be given again. */
export const MAX_CHALLENGE_ATTEMPTS = 5;
export const TWO_FACTOR_FAILURE_WINDOW_SECONDS = 15 * 60;

export type TwoFactorCommand =
  | StartTwoFactorSetup
  | EnableTwoFactor
  | DisableTwoFactor
  | StartTwoFactorChallenge
  | CompleteTwoFactorChallenge;

/** The RFC 6238 time step of an instant: the counter a TOTP code is computed from. */
export function totpTimeStep(instant: string): number {
  return Math.floor(Date.parse(instant) / 1000 / TOTP_PERIOD_SECONDS);
}

const FAILURES: Record<TwoFactorFailureReason, { reason: string; message: string; field: string }> = {
  invalid_code: {
    reason: 'invalid_two_factor_code',
    message: 'The authentication code is not valid',
    field: 'code',
  },
  code_reused: {
    reason: 'two_factor_code_reused',
    message: 'This authentication code was already used; wait for the next one',
    field: 'code',
  },
  invalid_recovery_code: {
    reason: 'invalid_recovery_code',
    message: 'This recovery code is not valid or was already used',
    field: 'recoveryCode',
  },
  invalid_password: { reason: 'invalid_password', message: 'The password is not correct', field: 'password' },
};

/**
 * The answer to a refused attempt. Sign-in steps and disabling record the refusal (TwoFactorAttemptFailed, so
 * attempts are limited) and the caller raises this after appending it; enabling just raises it.
 */
export function twoFactorAttemptError(reason: TwoFactorFailureReason): DomainError {
  const { reason: code, message, field } = FAILURES[reason];
  return new DomainError('validation', code, message, { field });
}

/** Why a TOTP code (its matched step) is refused at `now`, or null when it is accepted. */
function codeProblem(
  timeStep: unknown,
  now: string,
  lastUsedTimeStep: number | null,
): TwoFactorFailureReason | null {
  if (
    typeof timeStep !== 'number' ||
    !Number.isSafeInteger(timeStep) ||
    Math.abs(timeStep - totpTimeStep(now)) > TOTP_WINDOW_STEPS
  ) {
    return 'invalid_code';
  }
  // One code per time step, ever: a code seen on the wire (or shoulder-surfed) is worthless afterwards.
  if (lastUsedTimeStep !== null && timeStep <= lastUsedTimeStep) return 'code_reused';
  return null;
}

/** Seconds until the account may try again, or 0 (too many refusals within the window). */
export function twoFactorRetryAfterSeconds(
  twoFactor: Extract<TwoFactorState, { status: 'enabled' }>,
  now: string,
): number {
  const nowMs = Date.parse(now);
  const windowMs = TWO_FACTOR_FAILURE_WINDOW_SECONDS * 1000;
  const counted = twoFactor.recentFailures.filter((at) => Date.parse(at) > nowMs - windowMs);
  if (counted.length < MAX_TWO_FACTOR_FAILURES) return 0;
  const oldest = Date.parse(counted[counted.length - MAX_TWO_FACTOR_FAILURES]);
  return Math.max(1, Math.ceil((oldest + windowMs - nowMs) / 1000));
}

function requireAttemptsLeft(twoFactor: Extract<TwoFactorState, { status: 'enabled' }>, now: string): void {
  const retryAfterSeconds = twoFactorRetryAfterSeconds(twoFactor, now);
  if (retryAfterSeconds > 0) {
    throw new DomainError(
      'rate_limited',
      'too_many_attempts',
      'Too many wrong authentication codes; try again later',
      { retryAfterSeconds },
    );
  }
}

function requireEnabled(twoFactor: TwoFactorState): Extract<TwoFactorState, { status: 'enabled' }> {
  if (twoFactor.status !== 'enabled') {
    throw new DomainError('conflict', 'two_factor_not_enabled', 'Two-factor authentication is not on');
  }
  return twoFactor;
}

function requireSealed(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new DomainError('validation', 'invalid_sealed_secret', 'sealedSecret must be a non-empty string', {
      field: 'sealedSecret',
    });
  }
  return value;
}

function failed(
  user: RegisteredUserState,
  challengeId: string | null,
  reason: TwoFactorFailureReason,
  metadata: CommandMetadata,
): UserEvent[] {
  return [
    { type: 'TwoFactorAttemptFailed', data: { userId: user.userId, challengeId, reason, at: metadata.now } },
  ];
}

/** The 2FA commands of an owner's registered account (the caller checked both). */
export function decideTwoFactor(command: TwoFactorCommand, user: RegisteredUserState): UserEvent[] {
  const { userId, twoFactor } = user;
  const { metadata } = command;
  switch (command.type) {
    case 'StartTwoFactorSetup': {
      if (twoFactor.status === 'enabled') {
        throw new DomainError(
          'conflict',
          'two_factor_already_enabled',
          'Two-factor authentication is already on',
        );
      }
      return [
        {
          type: 'TwoFactorSetupStarted',
          data: { userId, sealedSecret: requireSealed(command.data.sealedSecret) },
        },
      ];
    }
    case 'EnableTwoFactor': {
      if (twoFactor.status === 'enabled') {
        throw new DomainError(
          'conflict',
          'two_factor_already_enabled',
          'Two-factor authentication is already on',
        );
      }
      if (twoFactor.status === 'disabled') {
        throw new DomainError(
          'conflict',
          'two_factor_setup_required',
          'Set two-factor authentication up first: scan the new secret, then enter a code',
        );
      }
      const sealedSecret = requireSealed(command.data.sealedSecret);
      const { recoveryCodeHashes } = command.data;
      if (
        !Array.isArray(recoveryCodeHashes) ||
        recoveryCodeHashes.length !== RECOVERY_CODE_COUNT ||
        new Set(recoveryCodeHashes).size !== RECOVERY_CODE_COUNT
      ) {
        throw new DomainError(
          'validation',
          'invalid_recovery_codes',
          `Exactly ${RECOVERY_CODE_COUNT} distinct recovery code hashes are required`,
          { field: 'recoveryCodeHashes' },
        );
      }
      recoveryCodeHashes.forEach((hash) =>
        requireSha256(hash, 'recoveryCodeHashes', 'invalid_recovery_codes'),
      );
      const problem = codeProblem(command.data.timeStep, metadata.now, null);
      if (problem) throw twoFactorAttemptError(problem);
      return [
        {
          type: 'TwoFactorEnabled',
          data: { userId, sealedSecret, recoveryCodeHashes: [...recoveryCodeHashes] },
        },
        // The code that turned 2FA on cannot also sign in.
        { type: 'TwoFactorCodeUsed', data: { userId, timeStep: command.data.timeStep as number } },
      ];
    }
    case 'DisableTwoFactor': {
      const enabled = requireEnabled(twoFactor);
      requireAttemptsLeft(enabled, metadata.now);
      if (command.data.passwordValid !== true) return failed(user, null, 'invalid_password', metadata);
      const problem = codeProblem(command.data.timeStep, metadata.now, enabled.lastUsedTimeStep);
      if (problem) return failed(user, null, problem, metadata);
      return [{ type: 'TwoFactorDisabled', data: { userId } }];
    }
    case 'StartTwoFactorChallenge': {
      const enabled = requireEnabled(twoFactor);
      requireAttemptsLeft(enabled, metadata.now);
      const challengeId = requireId(command.data.challengeId, 'challengeId');
      const expiresAt = requireInstant(command.data.expiresAt, 'expiresAt');
      const nowMs = Date.parse(metadata.now);
      if (expiresAt <= nowMs || expiresAt > nowMs + TWO_FACTOR_CHALLENGE_TTL_SECONDS * 1000) {
        throw new DomainError(
          'validation',
          'invalid_expires_at',
          `expiresAt must be within ${TWO_FACTOR_CHALLENGE_TTL_SECONDS} seconds from now`,
          { field: 'expiresAt' },
        );
      }
      if (enabled.challenges.some((c) => c.challengeId === challengeId)) return [];
      return [
        {
          type: 'TwoFactorChallengeStarted',
          data: { userId, challengeId, expiresAt: command.data.expiresAt },
        },
      ];
    }
    case 'CompleteTwoFactorChallenge': {
      const { challengeId, proof } = command.data;
      // Whatever happened to the sign-in (2FA turned off, completed, superseded), its token no longer works.
      const challenge =
        twoFactor.status === 'enabled'
          ? twoFactor.challenges.find((c) => c.challengeId === challengeId)
          : undefined;
      if (twoFactor.status !== 'enabled' || !challenge) {
        throw new DomainError(
          'unauthorized',
          'invalid_mfa_token',
          'This sign-in is no longer valid; sign in again',
        );
      }
      if (Date.parse(challenge.expiresAt) <= Date.parse(metadata.now)) {
        throw new DomainError('unauthorized', 'mfa_token_expired', 'This sign-in has expired; sign in again');
      }
      if (challenge.failedAttempts >= MAX_CHALLENGE_ATTEMPTS) {
        throw new DomainError(
          'unauthorized',
          'too_many_attempts',
          'Too many wrong codes for this sign-in; sign in again',
        );
      }
      requireAttemptsLeft(twoFactor, metadata.now);
      switch (proof?.kind) {
        case 'code': {
          const problem = codeProblem(proof.timeStep, metadata.now, twoFactor.lastUsedTimeStep);
          if (problem) return failed(user, challengeId, problem, metadata);
          return [
            { type: 'TwoFactorCodeUsed', data: { userId, timeStep: proof.timeStep as number } },
            { type: 'TwoFactorChallengeCompleted', data: { userId, challengeId, method: 'code' } },
          ];
        }
        case 'recovery_code': {
          const index =
            typeof proof.codeHash === 'string' ? twoFactor.recoveryCodeHashes.indexOf(proof.codeHash) : -1;
          if (index === -1 || twoFactor.usedRecoveryCodes.includes(index)) {
            return failed(user, challengeId, 'invalid_recovery_code', metadata);
          }
          return [
            { type: 'RecoveryCodeUsed', data: { userId, index } },
            { type: 'TwoFactorChallengeCompleted', data: { userId, challengeId, method: 'recovery_code' } },
          ];
        }
        default:
          throw new DomainError('validation', 'invalid_two_factor_proof', 'Give a code or a recovery code', {
            field: 'code',
          });
      }
    }
    default:
      return assertNever(command);
  }
}
