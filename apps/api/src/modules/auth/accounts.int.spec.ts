import { randomUUID } from 'node:crypto';
import { startTestApi, type TestApi } from '../../testing/api-test-app';
import { latestLinkToken } from './testing/account-links.fixture';

const PASSWORD = 'first-password-123';
const MINUTE = 60_000;

/** Email verification, password reset and password change, through the API's routes. */
describe('accounts', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      seedAdmin: false,
      configOverrides: { requireVerifiedEmail: true },
      overrides: {
        authThrottle: {
          verificationResend: { free: 2, baseDelayMs: MINUTE, maxDelayMs: MINUTE, resetAfterMs: MINUTE },
          passwordResetAccount: { free: 2, baseDelayMs: MINUTE, maxDelayMs: MINUTE, resetAfterMs: MINUTE },
        },
      },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function register(email: string) {
    const res = await api.request('POST', '/api/auth/register', {
      body: { email, password: PASSWORD, name: 'Robin' },
    });
    expect(res.status).toBe(201);
    return {
      token: res.body.token as string,
      userId: res.body.user.id as string,
      orgId: res.body.organization.id as string,
    };
  }
  const login = (email: string, password: string) =>
    api.request('POST', '/api/auth/login', { body: { email, password } });
  const createServer = (orgId: string, token: string) =>
    api.request('POST', `/api/organizations/${orgId}/vps`, {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: {
        label: 'web-1',
        planId: randomUUID(),
        region: 'us-east',
        image: 'linode/debian12',
        rootPassword: 'A-long-root-password-1',
      },
    });
  const emailVerified = async (token: string) =>
    (await api.request('GET', '/api/me', { token })).body.user.emailVerified as boolean;

  describe('email verification', () => {
    it('is requested at registration; unverified users sign in but cannot create a server', async () => {
      const robin = await register('robin@example.com');
      expect((await login('robin@example.com', PASSWORD)).status).toBe(200);
      const refused = await createServer(robin.orgId, robin.token);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ error: 'email_not_verified', message: expect.any(String) });

      const token = await latestLinkToken(api, 'EmailVerificationRequested', robin.userId);
      const verified = await api.request('POST', '/api/auth/email-verification', { body: { token } });
      expect(verified.status).toBe(200);
      expect(
        (
          await api.request('GET', '/api/me', {
            token: robin.token,
            headers: { 'X-Min-Position': verified.body.position },
          })
        ).body.user.emailVerified,
      ).toBe(true);
      // Past the gate: what is left is the (unknown) plan.
      expect((await createServer(robin.orgId, robin.token)).status).not.toBe(403);

      // The same link again: refused, nothing appended.
      const before = await api.eventCount();
      const again = await api.request('POST', '/api/auth/email-verification', { body: { token } });
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'email_already_verified' });
      expect(await api.eventCount()).toBe(before);
    });

    it('refuses unknown, malformed and foreign tokens with a 400 and changes nothing', async () => {
      const sky = await register('sky@example.com');
      const real = await latestLinkToken(api, 'EmailVerificationRequested', sky.userId);
      const before = await api.eventCount();
      const forged = [
        `${sky.userId}.${'A'.repeat(43)}`,
        `${randomUUID()}.${real.split('.')[1]}`,
        'not-a-token',
        real.slice(0, -1),
      ];
      for (const token of forged) {
        const res = await api.request('POST', '/api/auth/email-verification', { body: { token } });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: 'invalid_token' });
      }
      expect((await api.request('POST', '/api/auth/email-verification', { body: {} })).status).toBe(400);
      expect(await api.eventCount()).toBe(before);
      expect(await emailVerified(sky.token)).toBe(false);
    });

    it('resends a new link, throttled per user; every outstanding link works', async () => {
      const kit = await register('kit@example.com');
      const first = await latestLinkToken(api, 'EmailVerificationRequested', kit.userId);
      const resent = await api.request('POST', '/api/auth/email-verification/resend', { token: kit.token });
      expect(resent.status).toBe(202);
      const second = await latestLinkToken(api, 'EmailVerificationRequested', kit.userId);
      expect(second).not.toEqual(first);
      expect(
        (await api.request('POST', '/api/auth/email-verification/resend', { token: kit.token })).status,
      ).toBe(202);
      const throttled = await api.request('POST', '/api/auth/email-verification/resend', {
        token: kit.token,
      });
      expect(throttled.status).toBe(429);
      expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await api.request('POST', '/api/auth/email-verification/resend')).status).toBe(401);

      expect(
        (await api.request('POST', '/api/auth/email-verification', { body: { token: first } })).status,
      ).toBe(200);
    });
  });

  describe('password reset', () => {
    it('always answers 202; a link is issued only for an account', async () => {
      const sam = await register('sam@example.com');
      const before = await api.eventCount();
      const unknown = await api.request('POST', '/api/auth/password-reset', {
        body: { email: 'nobody@example.com' },
      });
      expect(unknown.status).toBe(202);
      expect(await api.eventCount()).toBe(before);
      const known = await api.request('POST', '/api/auth/password-reset', {
        body: { email: 'SAM@example.com' },
      });
      expect(known.status).toBe(202);
      expect(known.text).toBe(unknown.text);
      expect(await latestLinkToken(api, 'PasswordResetRequested', sam.userId)).toMatch(/\./);
    });

    it('sets the password and ends every session; the link works once', async () => {
      const lee = await register('lee@example.com');
      const other = (await login('lee@example.com', PASSWORD)).body.token as string;
      await api.request('POST', '/api/auth/password-reset', { body: { email: 'lee@example.com' } });
      const token = await latestLinkToken(api, 'PasswordResetRequested', lee.userId);

      const short = await api.request('POST', '/api/auth/password-reset/confirm', {
        body: { token, password: 'short' },
      });
      expect(short.status).toBe(400);

      const reset = await api.request('POST', '/api/auth/password-reset/confirm', {
        body: { token, password: 'second-password-456' },
      });
      expect(reset.status).toBe(200);
      for (const session of [lee.token, other]) {
        expect((await api.request('GET', '/api/me', { token: session })).status).toBe(401);
      }
      expect((await login('lee@example.com', PASSWORD)).status).toBe(401);
      expect((await login('lee@example.com', 'second-password-456')).status).toBe(200);

      const before = await api.eventCount();
      const reused = await api.request('POST', '/api/auth/password-reset/confirm', {
        body: { token, password: 'third-password-789' },
      });
      expect(reused.status).toBe(400);
      expect(reused.body).toMatchObject({ error: 'invalid_token' });
      expect(await api.eventCount()).toBe(before);
      expect((await login('lee@example.com', 'second-password-456')).status).toBe(200);
    });

    it('refuses forged tokens with a 400', async () => {
      const before = await api.eventCount();
      for (const token of ['nope', `${randomUUID()}.${'B'.repeat(43)}`]) {
        const res = await api.request('POST', '/api/auth/password-reset/confirm', {
          body: { token, password: 'whatever-password-1' },
        });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: 'invalid_token' });
      }
      expect(await api.eventCount()).toBe(before);
    });

    it('mails at most as often as the per-account limit, still answering 202', async () => {
      const ivy = await register('ivy@example.com');
      for (let n = 0; n < 3; n++) {
        const res = await api.request('POST', '/api/auth/password-reset', {
          body: { email: 'ivy@example.com' },
        });
        expect(res.status).toBe(202);
      }
      const events = await api.eventStore.readStream(`user-${ivy.userId}`);
      expect(events.filter((e) => e.type === 'PasswordResetRequested')).toHaveLength(2);
    });
  });

  describe('password change', () => {
    it('needs the current password and ends the other sessions, keeping this one', async () => {
      const ash = await register('ash@example.com');
      const other = (await login('ash@example.com', PASSWORD)).body.token as string;
      const before = await api.eventCount();
      const wrong = await api.request('POST', '/api/me/password', {
        token: ash.token,
        body: { currentPassword: 'not-my-password', newPassword: 'second-password-456' },
      });
      expect(wrong.status).toBe(400);
      expect(wrong.body).toMatchObject({ error: 'invalid_current_password' });
      expect(await api.eventCount()).toBe(before);

      const changed = await api.request('POST', '/api/me/password', {
        token: ash.token,
        body: { currentPassword: PASSWORD, newPassword: 'second-password-456' },
      });
      expect(changed.status).toBe(200);
      expect((await api.request('GET', '/api/me', { token: ash.token })).status).toBe(200);
      expect((await api.request('GET', '/api/me', { token: other })).status).toBe(401);
      expect((await login('ash@example.com', 'second-password-456')).status).toBe(200);
      expect(
        (
          await api.request('POST', '/api/me/password', {
            body: { currentPassword: 'x', newPassword: 'y'.repeat(12) },
          })
        ).status,
      ).toBe(401);
    });
  });
});
