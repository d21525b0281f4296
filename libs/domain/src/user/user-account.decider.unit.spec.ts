import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import type { CommandMetadata } from '../shared/decider';
import { userDecider, type UserCommand } from './user.decider';
import type {
  EmailVerificationRequested,
  PasswordResetRequested,
  SignedIn,
  UserEvent,
  UserRegistered,
} from './user.events';

// Email verification, password reset and change, 2FA and sessions: the account-security half of the user stream.
const spec = DeciderSpecification.for(userDecider);
const USER = 'user-1';
const self = metadataFor(USER);
const other = metadataFor('user-2');
const staff = metadataFor('staff-1', 'admin');
const anonymous = metadataFor('anonymous', 'anonymous');
const hash = (c: string) => c.repeat(64);
const IN_A_DAY = '2026-01-02T00:00:00.000Z';
const AN_HOUR_AGO = '2025-12-31T23:00:00.000Z';
const later = (metadata: CommandMetadata, now: string): CommandMetadata => ({ ...metadata, now });

const registered: UserRegistered = {
  type: 'UserRegistered',
  data: {
    userId: USER,
    email: 'ada@example.com',
    name: 'Ada',
    passwordHash: 'old-hash',
    platformRole: 'customer',
  },
};
const cmd = <T extends UserCommand['type']>(
  type: T,
  data: Extract<UserCommand, { type: T }>['data'],
  metadata: CommandMetadata = self,
): UserCommand => ({ type, data, metadata }) as UserCommand;

const verificationRequested = (c = 'a', expiresAt = IN_A_DAY): EmailVerificationRequested => ({
  type: 'EmailVerificationRequested',
  data: { userId: USER, email: 'ada@example.com', tokenHash: hash(c), expiresAt, sealedToken: `sealed-${c}` },
});
const resetRequested = (c = 'b', expiresAt = IN_A_DAY): PasswordResetRequested => ({
  type: 'PasswordResetRequested',
  data: { userId: USER, email: 'ada@example.com', tokenHash: hash(c), expiresAt, sealedToken: `sealed-${c}` },
});
const verified: UserEvent = { type: 'EmailVerified', data: { userId: USER, email: 'ada@example.com' } };
const signedIn = (
  sessionId: string,
  ip = '203.0.113.1',
  userAgent = 'Firefox',
  newDevice = false,
): SignedIn => ({
  type: 'SignedIn',
  data: { userId: USER, sessionId, ip, userAgent, newDevice },
});
const revoked = (sessionId: string): UserEvent => ({
  type: 'SessionRevoked',
  data: { userId: USER, sessionId },
});
describe('user decider: account security', () => {
  describe('when the user is not registered', () => {
    it.each<UserCommand>([
      cmd('RequestEmailVerification', { tokenHash: hash('a'), expiresAt: IN_A_DAY, sealedToken: 's' }),
      cmd('VerifyEmail', { tokenHash: hash('a') }),
      cmd('RequestPasswordReset', { tokenHash: hash('a'), expiresAt: IN_A_DAY, sealedToken: 's' }, anonymous),
      cmd('ResetPassword', { tokenHash: hash('a'), passwordHash: 'h' }, anonymous),
      cmd('ChangePassword', { passwordHash: 'h', currentPasswordValid: true, currentSessionId: null }),
      cmd('SignIn', { sessionId: 's1', ip: '203.0.113.1', userAgent: 'Firefox' }),
      cmd('RevokeSession', { sessionId: 's1' }),
      cmd('RevokeOtherSessions', { keepSessionId: null }),
    ])('rejects $type as user_not_found', (command) => {
      spec.given([]).when(command).thenThrows('not_found', 'user_not_found');
    });
  });

  describe('when the email is not verified', () => {
    const request = (
      overrides: Partial<{ tokenHash: string; expiresAt: string; sealedToken: string }> = {},
      metadata = self,
    ) =>
      cmd(
        'RequestEmailVerification',
        { tokenHash: hash('a'), expiresAt: IN_A_DAY, sealedToken: 'sealed-a', ...overrides },
        metadata,
      );

    it('issues a verification link', () => {
      spec.given([registered]).when(request()).then([verificationRequested()]);
    });

    it('lets staff issue one for the user, not another customer', () => {
      spec.given([registered]).when(request({}, staff)).then([verificationRequested()]);
      spec.given([registered]).when(request({}, other)).thenThrows('not_found', 'user_not_found');
    });

    it.each([
      [{ tokenHash: 'raw-token' }, 'invalid_token_hash'],
      [{ tokenHash: hash('A') }, 'invalid_token_hash'],
      [{ expiresAt: 'tomorrow' }, 'invalid_expires_at'],
      [{ expiresAt: AN_HOUR_AGO }, 'invalid_expires_at'],
      [{ sealedToken: '' }, 'invalid_sealed_token'],
    ])('rejects a link %j as %s', (overrides, reason) => {
      spec.given([registered]).when(request(overrides)).thenThrows('validation', reason);
    });

    it('verifies with an outstanding link, from anyone holding it', () => {
      spec
        .given([registered, verificationRequested()])
        .when(cmd('VerifyEmail', { tokenHash: hash('a') }, anonymous))
        .then([verified]);
    });

    it('accepts any of the newest outstanding links (a resend does not void the first mail)', () => {
      spec
        .given([registered, verificationRequested('a'), verificationRequested('c')])
        .when(cmd('VerifyEmail', { tokenHash: hash('a') }))
        .then([verified]);
    });

    it('forgets all but the newest five links', () => {
      const six = ['1', '2', '3', '4', '5', '6'].map((c) => verificationRequested(c));
      spec
        .given([registered, ...six])
        .when(cmd('VerifyEmail', { tokenHash: hash('1') }))
        .thenThrows('validation', 'invalid_token');
      spec
        .given([registered, ...six])
        .when(cmd('VerifyEmail', { tokenHash: hash('2') }))
        .then([verified]);
    });

    it('refuses an unknown token', () => {
      spec
        .given([registered, verificationRequested()])
        .when(cmd('VerifyEmail', { tokenHash: hash('f') }))
        .thenThrows('validation', 'invalid_token', { field: 'token' });
      spec
        .given([registered])
        .when(cmd('VerifyEmail', { tokenHash: 42 as unknown as string }))
        .thenThrows('validation', 'invalid_token');
    });

    it('refuses an expired token (24 h after it was issued)', () => {
      spec
        .given([registered, verificationRequested()])
        .when(cmd('VerifyEmail', { tokenHash: hash('a') }, later(self, IN_A_DAY)))
        .thenThrows('validation', 'token_expired');
    });
  });

  describe('when the email is verified', () => {
    it('refuses to use a verification link twice', () => {
      spec
        .given([registered, verificationRequested(), verified])
        .when(cmd('VerifyEmail', { tokenHash: hash('a') }))
        .thenThrows('conflict', 'email_already_verified');
    });

    it('issues no more verification links', () => {
      spec
        .given([registered, verified])
        .when(
          cmd('RequestEmailVerification', { tokenHash: hash('a'), expiresAt: IN_A_DAY, sealedToken: 's' }),
        )
        .thenThrows('conflict', 'email_already_verified');
    });
  });

  describe('when a password reset is outstanding', () => {
    const reset = (tokenHash = hash('b'), metadata = anonymous) =>
      cmd('ResetPassword', { tokenHash, passwordHash: 'new-hash' }, metadata);

    it('issues reset links to anyone who asks', () => {
      spec
        .given([registered])
        .when(
          cmd(
            'RequestPasswordReset',
            { tokenHash: hash('b'), expiresAt: IN_A_DAY, sealedToken: 'sealed-b' },
            anonymous,
          ),
        )
        .then([resetRequested()]);
    });

    it('sets the password and ends every session', () => {
      spec
        .given([registered, signedIn('s1'), signedIn('s2'), revoked('s2'), signedIn('s3'), resetRequested()])
        .when(reset())
        .then([
          { type: 'PasswordChanged', data: { userId: USER, passwordHash: 'new-hash', via: 'reset' } },
          revoked('s1'),
          revoked('s3'),
        ]);
    });

    it('is single use, and voids the other outstanding links', () => {
      const changed: UserEvent = {
        type: 'PasswordChanged',
        data: { userId: USER, passwordHash: 'new-hash', via: 'reset' },
      };
      spec
        .given([registered, resetRequested('b'), resetRequested('c'), changed])
        .when(reset(hash('b')))
        .thenThrows('validation', 'invalid_token');
      spec
        .given([registered, resetRequested('b'), resetRequested('c'), changed])
        .when(reset(hash('c')))
        .thenThrows('validation', 'invalid_token');
    });

    it('refuses an expired link (an hour after it was issued) and an unknown one', () => {
      const expiresInAnHour = resetRequested('b', '2026-01-01T01:00:00.000Z');
      spec
        .given([registered, expiresInAnHour])
        .when(
          cmd(
            'ResetPassword',
            { tokenHash: hash('b'), passwordHash: 'new-hash' },
            later(anonymous, '2026-01-01T01:00:00.000Z'),
          ),
        )
        .thenThrows('validation', 'token_expired');
      spec
        .given([registered, expiresInAnHour])
        .when(reset(hash('d')))
        .thenThrows('validation', 'invalid_token');
    });

    it('refuses an empty password hash', () => {
      spec
        .given([registered, resetRequested()])
        .when(cmd('ResetPassword', { tokenHash: hash('b'), passwordHash: '' }))
        .thenThrows('validation', 'invalid_password_hash');
    });
  });

  describe('when the user changes their password', () => {
    const change = (currentPasswordValid = true, metadata = self) =>
      cmd(
        'ChangePassword',
        { passwordHash: 'new-hash', currentPasswordValid, currentSessionId: 's2' },
        metadata,
      );

    it('sets the password and ends the other sessions', () => {
      spec
        .given([registered, signedIn('s1'), signedIn('s2'), signedIn('s3')])
        .when(change())
        .then([
          { type: 'PasswordChanged', data: { userId: USER, passwordHash: 'new-hash', via: 'change' } },
          revoked('s1'),
          revoked('s3'),
        ]);
    });

    it('voids outstanding reset links', () => {
      const state = spec
        .given([registered, resetRequested()])
        .when(change())
        .then([{ type: 'PasswordChanged', data: { userId: USER, passwordHash: 'new-hash', via: 'change' } }]);
      expect(state).toMatchObject({ passwordHash: 'new-hash', passwordResets: [] });
    });

    it('requires the current password', () => {
      spec
        .given([registered])
        .when(change(false))
        .thenThrows('validation', 'invalid_current_password', { field: 'currentPassword' });
    });

    it("is the owner's alone (staff included)", () => {
      spec.given([registered]).when(change(true, staff)).thenThrows('not_found', 'user_not_found');
      spec.given([registered]).when(change(true, other)).thenThrows('not_found', 'user_not_found');
    });
  });

  describe('when signing in', () => {
    const signIn = (sessionId: string, ip = '203.0.113.1', userAgent = 'Firefox') =>
      cmd('SignIn', { sessionId, ip, userAgent });

    it('records the first sign-in as a known device', () => {
      spec
        .given([registered])
        .when(signIn('s1'))
        .then([signedIn('s1')]);
    });

    it('tells a new address or browser from a known one', () => {
      spec
        .given([registered, signedIn('s1')])
        .when(signIn('s2'))
        .then([signedIn('s2')]);
      spec
        .given([registered, signedIn('s1')])
        .when(signIn('s2', '198.51.100.7'))
        .then([signedIn('s2', '198.51.100.7', 'Firefox', true)]);
      spec
        .given([registered, signedIn('s1')])
        .when(signIn('s2', '203.0.113.1', 'Chrome'))
        .then([signedIn('s2', '203.0.113.1', 'Chrome', true)]);
    });

    it('records a retried sign-in once', () => {
      spec
        .given([registered, signedIn('s1')])
        .when(signIn('s1'))
        .then([]);
    });

    it('refuses a missing session id or address', () => {
      spec.given([registered]).when(signIn('')).thenThrows('validation', 'invalid_session_id');
      spec.given([registered]).when(signIn('s1', '')).thenThrows('validation', 'invalid_ip');
    });
  });

  describe('when sessions are open', () => {
    const open = [registered, signedIn('s1'), signedIn('s2'), signedIn('s3')];

    it('revokes one session', () => {
      spec
        .given(open)
        .when(cmd('RevokeSession', { sessionId: 's2' }))
        .then([revoked('s2')]);
    });

    it('refuses an unknown or already revoked session', () => {
      spec
        .given(open)
        .when(cmd('RevokeSession', { sessionId: 's9' }))
        .thenThrows('not_found', 'session_not_found');
      spec
        .given([...open, revoked('s2')])
        .when(cmd('RevokeSession', { sessionId: 's2' }))
        .thenThrows('not_found', 'session_not_found');
    });

    it("hides another user's sessions", () => {
      spec
        .given(open)
        .when(cmd('RevokeSession', { sessionId: 's2' }, other))
        .thenThrows('not_found', 'user_not_found');
    });

    it('revokes every other session, or all of them', () => {
      spec
        .given(open)
        .when(cmd('RevokeOtherSessions', { keepSessionId: 's2' }))
        .then([revoked('s1'), revoked('s3')]);
      spec
        .given(open)
        .when(cmd('RevokeOtherSessions', { keepSessionId: null }, staff))
        .then([revoked('s1'), revoked('s2'), revoked('s3')]);
      spec
        .given([registered])
        .when(cmd('RevokeOtherSessions', { keepSessionId: null }))
        .then([]);
    });
  });
});
