import type { CommandMetadata } from '../shared/decider';
import { DeciderSpecification, stateAfter } from '../shared/testing/decider-spec';
import { metadataFor, NOW } from '../shared/testing/metadata';
import {
  MAX_CHALLENGE_ATTEMPTS,
  MAX_TWO_FACTOR_FAILURES,
  RECOVERY_CODE_COUNT,
  totpTimeStep,
  TWO_FACTOR_FAILURE_WINDOW_SECONDS,
  userDecider,
  type TwoFactorProof,
  type UserCommand,
} from './user.decider';
import type {
  TwoFactorAttemptFailed,
  TwoFactorFailureReason,
  UserEvent,
  UserRegistered,
} from './user.events';

// TOTP 2FA on the user stream: setup, enable, the sign-in step (replay, attempt limits, recovery codes), disable.
const spec = DeciderSpecification.for(userDecider);
const USER = 'user-1';
const self = metadataFor(USER);
const staff = metadataFor('staff-1', 'admin');
const STEP = totpTimeStep(NOW);
const at = (seconds: number, metadata: CommandMetadata = self): CommandMetadata => ({
  ...metadata,
  now: new Date(Date.parse(NOW) + seconds * 1000).toISOString(),
});
const IN_FIVE_MINUTES = new Date(Date.parse(NOW) + 300_000).toISOString();

const registered: UserRegistered = {
  type: 'UserRegistered',
  data: { userId: USER, email: 'ada@example.com', name: 'Ada', passwordHash: 'h', platformRole: 'customer' },
};
const cmd = <T extends UserCommand['type']>(
  type: T,
  data: Extract<UserCommand, { type: T }>['data'],
  metadata: CommandMetadata = self,
): UserCommand => ({ type, data, metadata }) as UserCommand;

const codes = Array.from({ length: RECOVERY_CODE_COUNT }, (_, i) => i.toString(16).repeat(64));
const setupStarted = (sealedSecret = 'v1.pending'): UserEvent => ({
  type: 'TwoFactorSetupStarted',
  data: { userId: USER, sealedSecret },
});
const enabled: UserEvent = {
  type: 'TwoFactorEnabled',
  data: { userId: USER, sealedSecret: 'v1.sealed', recoveryCodeHashes: codes },
};
const codeUsed = (timeStep: number): UserEvent => ({
  type: 'TwoFactorCodeUsed',
  data: { userId: USER, timeStep },
});
const challengeStarted = (challengeId = 'c1', expiresAt = IN_FIVE_MINUTES): UserEvent => ({
  type: 'TwoFactorChallengeStarted',
  data: { userId: USER, challengeId, expiresAt },
});
const attemptFailed = (
  reason: TwoFactorFailureReason,
  challengeId: string | null = 'c1',
  when = NOW,
): TwoFactorAttemptFailed => ({
  type: 'TwoFactorAttemptFailed',
  data: { userId: USER, challengeId, reason, at: when },
});
const enable = (
  overrides: Partial<{ sealedSecret: string; recoveryCodeHashes: string[]; timeStep: number | null }> = {},
  metadata: CommandMetadata = self,
) =>
  cmd(
    'EnableTwoFactor',
    { sealedSecret: 'v1.sealed', recoveryCodeHashes: codes, timeStep: STEP, ...overrides },
    metadata,
  );
const complete = (proof: TwoFactorProof, challengeId = 'c1', metadata: CommandMetadata = self) =>
  cmd('CompleteTwoFactorChallenge', { challengeId, proof }, metadata);
const withCode = (timeStep: number | null): TwoFactorProof => ({ kind: 'code', timeStep });
const withRecoveryCode = (codeHash: string): TwoFactorProof => ({ kind: 'recovery_code', codeHash });
const disable = (passwordValid: boolean, timeStep: number | null, metadata: CommandMetadata = self) =>
  cmd('DisableTwoFactor', { passwordValid, timeStep }, metadata);
/** On, with the enabling code's step spent, and a sign-in waiting for its second factor. */
const signingIn = [registered, enabled, codeUsed(STEP - 1), challengeStarted()];

describe('user decider: two-factor authentication', () => {
  describe('when the user is not registered', () => {
    it.each<UserCommand>([
      cmd('StartTwoFactorSetup', { sealedSecret: 's' }),
      enable(),
      disable(true, STEP),
      cmd('StartTwoFactorChallenge', { challengeId: 'c1', expiresAt: IN_FIVE_MINUTES }),
      complete(withCode(STEP)),
    ])('rejects $type as user_not_found', (command) => {
      spec.given([]).when(command).thenThrows('not_found', 'user_not_found');
    });
  });

  describe('when it is off', () => {
    it('sets up a pending secret; setting up again replaces it', () => {
      spec
        .given([registered])
        .when(cmd('StartTwoFactorSetup', { sealedSecret: 'v1.pending' }))
        .then([setupStarted()]);
      const state = stateAfter(userDecider, [
        registered,
        setupStarted('v1.first'),
        setupStarted('v1.second'),
      ]);
      expect(state).toMatchObject({ twoFactor: { status: 'pending', sealedPendingSecret: 'v1.second' } });
    });

    it('cannot be enabled before it is set up', () => {
      spec.given([registered]).when(enable()).thenThrows('conflict', 'two_factor_setup_required');
    });

    it('has nothing to disable and no sign-in step', () => {
      spec.given([registered]).when(disable(true, STEP)).thenThrows('conflict', 'two_factor_not_enabled');
      spec
        .given([registered])
        .when(cmd('StartTwoFactorChallenge', { challengeId: 'c1', expiresAt: IN_FIVE_MINUTES }))
        .thenThrows('conflict', 'two_factor_not_enabled');
      spec
        .given([registered])
        .when(complete(withCode(STEP)))
        .thenThrows('unauthorized', 'invalid_mfa_token');
    });

    it("is the owner's alone (staff cannot set it up for them)", () => {
      spec
        .given([registered])
        .when(cmd('StartTwoFactorSetup', { sealedSecret: 's' }, staff))
        .thenThrows('not_found', 'user_not_found');
      spec
        .given([registered, setupStarted()])
        .when(enable({}, staff))
        .thenThrows('not_found', 'user_not_found');
    });
  });

  describe('when it is set up (pending)', () => {
    it("enables it with a code of the current step and ten recovery codes; the code's step is spent", () => {
      spec
        .given([registered, setupStarted()])
        .when(enable())
        .then([enabled, codeUsed(STEP)]);
    });

    it.each([
      ['one step behind', STEP - 1],
      ['one step ahead', STEP + 1],
    ])('accepts a code %s (clock drift)', (_name, timeStep) => {
      spec
        .given([registered, setupStarted()])
        .when(enable({ timeStep }))
        .then([enabled, codeUsed(timeStep)]);
    });

    it.each([
      ['no matching step', null],
      ['two steps away', STEP + 2],
      ['a fractional step', STEP + 0.5],
    ])('refuses a code with %s, recording nothing', (_name, timeStep) => {
      spec
        .given([registered, setupStarted()])
        .when(enable({ timeStep }))
        .thenThrows('validation', 'invalid_two_factor_code', { field: 'code' });
    });

    it.each([[codes.slice(1)], [[...codes.slice(1), codes[1]]], [[...codes.slice(1), 'not-a-hash']]])(
      'refuses recovery code hashes %#',
      (recoveryCodeHashes) => {
        spec
          .given([registered, setupStarted()])
          .when(enable({ recoveryCodeHashes }))
          .thenThrows('validation', 'invalid_recovery_codes');
      },
    );

    it('refuses an empty sealed secret', () => {
      spec
        .given([registered, setupStarted()])
        .when(enable({ sealedSecret: '' }))
        .thenThrows('validation', 'invalid_sealed_secret');
    });
  });

  describe('when it is on', () => {
    it('refuses to set it up or enable it again', () => {
      spec
        .given([registered, enabled])
        .when(cmd('StartTwoFactorSetup', { sealedSecret: 's' }))
        .thenThrows('conflict', 'two_factor_already_enabled');
      spec.given([registered, enabled]).when(enable()).thenThrows('conflict', 'two_factor_already_enabled');
    });

    it('starts a sign-in step of at most five minutes; the same one again records nothing', () => {
      spec
        .given([registered, enabled])
        .when(cmd('StartTwoFactorChallenge', { challengeId: 'c1', expiresAt: IN_FIVE_MINUTES }))
        .then([challengeStarted()]);
      spec
        .given([registered, enabled, challengeStarted()])
        .when(cmd('StartTwoFactorChallenge', { challengeId: 'c1', expiresAt: IN_FIVE_MINUTES }))
        .then([]);
      spec
        .given([registered, enabled])
        .when(
          cmd('StartTwoFactorChallenge', {
            challengeId: 'c1',
            expiresAt: new Date(Date.parse(NOW) + 301_000).toISOString(),
          }),
        )
        .thenThrows('validation', 'invalid_expires_at');
    });

    it('disables it with the password and a fresh code', () => {
      spec
        .given([registered, enabled, codeUsed(STEP - 1)])
        .when(disable(true, STEP))
        .then([{ type: 'TwoFactorDisabled', data: { userId: USER } }]);
    });

    it.each<[string, boolean, number | null, TwoFactorFailureReason]>([
      ['a wrong password', false, STEP, 'invalid_password'],
      ['a wrong code', true, null, 'invalid_code'],
      ['a spent code', true, STEP - 1, 'code_reused'],
    ])(
      'records a refused disable with %s (the caller answers 400)',
      (_name, passwordValid, timeStep, reason) => {
        spec
          .given([registered, enabled, codeUsed(STEP - 1)])
          .when(disable(passwordValid, timeStep))
          .then([attemptFailed(reason, null)]);
      },
    );

    it('starts over after being disabled: a new setup, fresh recovery codes, none spent', () => {
      const state = stateAfter(userDecider, [
        ...signingIn,
        { type: 'RecoveryCodeUsed', data: { userId: USER, index: 0 } },
        { type: 'TwoFactorDisabled', data: { userId: USER } },
      ]);
      expect(state).toMatchObject({ twoFactor: { status: 'disabled' } });
      const again = stateAfter(userDecider, [
        ...signingIn,
        { type: 'RecoveryCodeUsed', data: { userId: USER, index: 0 } },
        { type: 'TwoFactorDisabled', data: { userId: USER } },
        setupStarted(),
        enabled,
      ]);
      expect(again).toMatchObject({
        twoFactor: { status: 'enabled', usedRecoveryCodes: [], challenges: [], lastUsedTimeStep: null },
      });
    });
  });

  describe('when a sign-in awaits its second factor', () => {
    it('completes it with a code, spending its step', () => {
      spec
        .given(signingIn)
        .when(complete(withCode(STEP)))
        .then([
          codeUsed(STEP),
          { type: 'TwoFactorChallengeCompleted', data: { userId: USER, challengeId: 'c1', method: 'code' } },
        ]);
    });

    it('refuses the same code again, and any older one (replay)', () => {
      const afterFirst = [
        ...signingIn,
        codeUsed(STEP),
        { type: 'TwoFactorChallengeCompleted', data: { userId: USER, challengeId: 'c1', method: 'code' } },
        challengeStarted('c2'),
      ] satisfies UserEvent[];
      spec
        .given(afterFirst)
        .when(complete(withCode(STEP), 'c2'))
        .then([attemptFailed('code_reused', 'c2')]);
      spec
        .given(afterFirst)
        .when(complete(withCode(STEP - 1), 'c2'))
        .then([attemptFailed('code_reused', 'c2')]);
      spec
        .given(afterFirst)
        .when(complete(withCode(STEP + 1), 'c2'))
        .then([
          codeUsed(STEP + 1),
          { type: 'TwoFactorChallengeCompleted', data: { userId: USER, challengeId: 'c2', method: 'code' } },
        ]);
    });

    it('records a wrong code against the sign-in (the caller answers 400)', () => {
      spec
        .given(signingIn)
        .when(complete(withCode(null)))
        .then([attemptFailed('invalid_code')]);
    });

    it('completes it with a recovery code, once', () => {
      spec
        .given(signingIn)
        .when(complete(withRecoveryCode(codes[3])))
        .then([
          { type: 'RecoveryCodeUsed', data: { userId: USER, index: 3 } },
          {
            type: 'TwoFactorChallengeCompleted',
            data: { userId: USER, challengeId: 'c1', method: 'recovery_code' },
          },
        ]);
      spec
        .given([...signingIn, { type: 'RecoveryCodeUsed', data: { userId: USER, index: 3 } }])
        .when(complete(withRecoveryCode(codes[3])))
        .then([attemptFailed('invalid_recovery_code')]);
      spec
        .given(signingIn)
        .when(complete(withRecoveryCode('f'.repeat(64))))
        .then([attemptFailed('invalid_recovery_code')]);
    });

    it('refuses a completed, unknown or expired sign-in', () => {
      spec
        .given([
          ...signingIn,
          { type: 'TwoFactorChallengeCompleted', data: { userId: USER, challengeId: 'c1', method: 'code' } },
        ])
        .when(complete(withCode(STEP)))
        .thenThrows('unauthorized', 'invalid_mfa_token');
      spec
        .given(signingIn)
        .when(complete(withCode(STEP), 'c9'))
        .thenThrows('unauthorized', 'invalid_mfa_token');
      spec
        .given(signingIn)
        .when(complete(withCode(STEP + 10), 'c1', at(300)))
        .thenThrows('unauthorized', 'mfa_token_expired');
    });

    it('is not completed by someone else, staff included', () => {
      spec
        .given(signingIn)
        .when(complete(withCode(STEP), 'c1', staff))
        .thenThrows('not_found', 'user_not_found');
    });

    it(`gives a sign-in ${MAX_CHALLENGE_ATTEMPTS} attempts, then the password must be given again`, () => {
      const failures = Array.from({ length: MAX_CHALLENGE_ATTEMPTS }, () => attemptFailed('invalid_code'));
      spec
        .given([...signingIn, ...failures.slice(1)])
        .when(complete(withCode(null)))
        .then([attemptFailed('invalid_code')]);
      spec
        .given([...signingIn, ...failures])
        .when(complete(withCode(STEP)))
        .thenThrows('unauthorized', 'too_many_attempts');
      // A fresh sign-in has attempts of its own.
      spec
        .given([...signingIn, ...failures, challengeStarted('c2')])
        .when(complete(withCode(STEP), 'c2'))
        .then([
          codeUsed(STEP),
          { type: 'TwoFactorChallengeCompleted', data: { userId: USER, challengeId: 'c2', method: 'code' } },
        ]);
    });

    it(`limits the account to ${MAX_TWO_FACTOR_FAILURES} refusals per window, whichever sign-in or disable they came from`, () => {
      const spread = Array.from({ length: MAX_TWO_FACTOR_FAILURES }, (_, i) =>
        attemptFailed('invalid_code', i % 2 === 0 ? null : `old-${i}`, at(-60 + i).now),
      );
      const limited = [...signingIn, ...spread];
      const error = spec
        .given(limited)
        .when(complete(withCode(STEP)))
        .thenThrows('rate_limited', 'too_many_attempts');
      expect(error.details).toEqual({ retryAfterSeconds: TWO_FACTOR_FAILURE_WINDOW_SECONDS - 60 });
      spec.given(limited).when(disable(true, STEP)).thenThrows('rate_limited', 'too_many_attempts');
      spec
        .given(limited)
        .when(cmd('StartTwoFactorChallenge', { challengeId: 'c2', expiresAt: IN_FIVE_MINUTES }))
        .thenThrows('rate_limited', 'too_many_attempts');
      // Once the oldest refusal leaves the window, one more attempt is allowed.
      const later = at(TWO_FACTOR_FAILURE_WINDOW_SECONDS - 60 + 1);
      spec
        .given([...limited, challengeStarted('c3', new Date(Date.parse(later.now) + 60_000).toISOString())])
        .when(complete(withCode(totpTimeStep(later.now)), 'c3', later))
        .then([
          codeUsed(totpTimeStep(later.now)),
          { type: 'TwoFactorChallengeCompleted', data: { userId: USER, challengeId: 'c3', method: 'code' } },
        ]);
    });

    it('ends when 2FA is turned off', () => {
      spec
        .given([...signingIn, { type: 'TwoFactorDisabled', data: { userId: USER } }])
        .when(complete(withCode(STEP)))
        .thenThrows('unauthorized', 'invalid_mfa_token');
    });
  });
});
