import { MAX_CHALLENGE_ATTEMPTS, streams } from '@stratus/domain';
import { totpCode } from '@stratus/infra/testing';
import {
  enableTwoFactor,
  signInAdmin,
  startTestApi,
  TEST_ADMIN,
  type TestApi,
} from '../../testing/api-test-app';

/**
 * TOTP 2FA through the real API and PostgreSQL: setup, enable, the sign-in's second step (codes computed from the
 * answered secret with `otpauth`), replay and attempt limits, recovery codes, disable, and staff needing 2FA on
 * /api/admin/* (STAFF_REQUIRE_2FA: on outside development, so on in this test API).
 */
let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

const PASSWORD = 'a-long-password-1';

async function register(email: string): Promise<{ token: string; userId: string }> {
  const res = await api.request('POST', '/api/auth/register', {
    body: { email, password: PASSWORD, name: email.split('@')[0] },
  });
  expect(res.status).toBe(201);
  return { token: res.body.token, userId: res.body.user.id };
}

async function login(email: string) {
  return api.request('POST', '/api/auth/login', { body: { email, password: PASSWORD } });
}

async function mfaToken(email: string): Promise<string> {
  const res = await login(email);
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ mfaRequired: true, mfaToken: expect.any(String) });
  return res.body.mfaToken;
}

const complete = (body: Record<string, unknown>) => api.request('POST', '/api/auth/login/mfa', { body });

async function streamTypes(userId: string): Promise<string[]> {
  return (await api.eventStore.readStream(streams.user(userId))).map((event) => event.type);
}

describe('setting 2FA up and turning it on', () => {
  test('setup answers a secret, its otpauth URL and a QR code; setup again replaces the secret', async () => {
    const ada = await register('ada@example.com');
    const first = await api.request('POST', '/api/me/2fa/setup', { token: ada.token });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const url = new URL(first.body.otpauthUrl);
    expect(url.protocol).toBe('otpauth:');
    expect(url.searchParams.get('secret')).toBe(first.body.secret);
    expect(url.searchParams.get('issuer')).toBe('Stratus');
    expect(decodeURIComponent(url.pathname)).toContain('ada@example.com');
    expect(first.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);

    const second = await api.request('POST', '/api/me/2fa/setup', { token: ada.token });
    expect(second.body.secret).not.toBe(first.body.secret);
    const before = await api.eventCount();
    const stale = await api.request('POST', '/api/me/2fa/enable', {
      token: ada.token,
      body: { code: totpCode(first.body.secret) },
    });
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({ error: 'invalid_two_factor_code', details: { field: 'code' } });
    expect(await api.eventCount()).toBe(before);

    const enabled = await api.request('POST', '/api/me/2fa/enable', {
      token: ada.token,
      body: { code: totpCode(second.body.secret) },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.headers.get('cache-control')).toBe('no-store');
    const codes = enabled.body.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const me = await api.request('GET', '/api/me', {
      token: ada.token,
      headers: { 'X-Min-Position': enabled.body.position },
    });
    expect(me.body.user.twoFactorEnabled).toBe(true);

    // Neither the secret nor a recovery code is stored in clear.
    const stored = JSON.stringify(await api.eventStore.readStream(streams.user(ada.userId)), (_key, value) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
    expect(stored).not.toContain(second.body.secret);
    for (const code of codes) expect(stored).not.toContain(code);
    expect(await streamTypes(ada.userId)).toEqual(
      expect.arrayContaining(['TwoFactorSetupStarted', 'TwoFactorEnabled', 'TwoFactorCodeUsed']),
    );

    const again = await api.request('POST', '/api/me/2fa/setup', { token: ada.token });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('two_factor_already_enabled');
  });

  test('enabling without a setup is a 409; a malformed code a 400; neither records anything', async () => {
    const bea = await register('bea@example.com');
    const before = await api.eventCount();
    const unset = await api.request('POST', '/api/me/2fa/enable', {
      token: bea.token,
      body: { code: '123456' },
    });
    expect(unset.status).toBe(409);
    expect(unset.body.error).toBe('two_factor_setup_required');
    await api.request('POST', '/api/me/2fa/setup', { token: bea.token });
    const afterSetup = await api.eventCount();
    expect(afterSetup).toBe(before + 1);
    for (const body of [{ code: 'abcdef' }, { code: 123456 }, {}, { code: '1'.repeat(21) }]) {
      const res = await api.request('POST', '/api/me/2fa/enable', { token: bea.token, body });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }
    expect(await api.eventCount()).toBe(afterSetup);
  });
});

describe('signing in with 2FA on', () => {
  let cy: { token: string; userId: string };
  let keys: { secret: string; recoveryCodes: string[] };
  let enabledAt: number;

  beforeAll(async () => {
    cy = await register('cy@example.com');
    enabledAt = Date.now();
    keys = await enableTwoFactor(api, cy.token);
  });

  test('the password alone answers an mfaToken, which is not a session; a session token is not an mfaToken', async () => {
    const token = await mfaToken('cy@example.com');
    expect((await api.request('GET', '/api/me', { token })).status).toBe(401);
    const swapped = await complete({ mfaToken: cy.token, code: totpCode(keys.secret) });
    expect(swapped.status).toBe(401);
    expect(swapped.body.error).toBe('invalid_mfa_token');
    expect((await complete({ mfaToken: 'not.a.jwt', code: '123456' })).status).toBe(401);
    const both = await complete({ mfaToken: token, code: '123456', recoveryCode: keys.recoveryCodes[0] });
    expect(both.status).toBe(400);
    expect(both.body.error).toBe('invalid_two_factor_proof');
    expect((await complete({ mfaToken: token })).status).toBe(400);
  });

  test('a code signs in once: the enabling code and a used code are refused (replay), the next one works', async () => {
    const enablingCode = totpCode(keys.secret, enabledAt);
    const refused = await complete({ mfaToken: await mfaToken('cy@example.com'), code: enablingCode });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'two_factor_code_reused', details: { field: 'code' } });

    const nextCode = totpCode(keys.secret, enabledAt + 30_000);
    const signedIn = await complete({ mfaToken: await mfaToken('cy@example.com'), code: nextCode });
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ id: cy.userId, email: 'cy@example.com' });
    expect((await api.request('GET', '/api/me', { token: signedIn.body.token })).status).toBe(200);

    const before = await streamTypes(cy.userId);
    const replay = await complete({ mfaToken: await mfaToken('cy@example.com'), code: nextCode });
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('two_factor_code_reused');
    // Only the new sign-in and its recorded refusal: no session, no spent code.
    expect((await streamTypes(cy.userId)).slice(before.length)).toEqual([
      'TwoFactorChallengeStarted',
      'TwoFactorAttemptFailed',
    ]);
  });

  test('a completed sign-in cannot be completed again', async () => {
    const token = await mfaToken('cy@example.com');
    const ok = await complete({ mfaToken: token, recoveryCode: keys.recoveryCodes.shift() });
    expect(ok.status).toBe(200);
    const again = await complete({ mfaToken: token, recoveryCode: keys.recoveryCodes[0] });
    expect(again.status).toBe(401);
    expect(again.body.error).toBe('invalid_mfa_token');
  });

  test('a recovery code works once, typed in any case and with spaces', async () => {
    const code = keys.recoveryCodes.shift() as string;
    const typed = ` ${code.toUpperCase().replace('-', ' ')} `;
    const first = await complete({ mfaToken: await mfaToken('cy@example.com'), recoveryCode: typed });
    expect(first.status).toBe(200);
    expect(first.body.token).toEqual(expect.any(String));
    const second = await complete({ mfaToken: await mfaToken('cy@example.com'), recoveryCode: code });
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject({ error: 'invalid_recovery_code', details: { field: 'recoveryCode' } });
  });
});

describe('attempt limits', () => {
  test(`parallel wrong codes on one sign-in: ${MAX_CHALLENGE_ATTEMPTS} are answered, the rest refused; then the password is needed again`, async () => {
    const dee = await register('dee@example.com');
    const keys = await enableTwoFactor(api, dee.token);
    const token = await mfaToken('dee@example.com');
    const answers = await Promise.all(
      Array.from({ length: MAX_CHALLENGE_ATTEMPTS + 3 }, () => complete({ mfaToken: token, code: '000000' })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([
      ...Array<number>(MAX_CHALLENGE_ATTEMPTS).fill(400),
      ...Array<number>(3).fill(401),
    ]);
    expect(answers.filter((a) => a.status === 401).every((a) => a.body.error === 'too_many_attempts')).toBe(
      true,
    );
    // Even the right code is refused on that sign-in; a new sign-in takes it.
    const recovery = keys.recoveryCodes[0];
    expect((await complete({ mfaToken: token, recoveryCode: recovery })).status).toBe(401);
    expect(
      (await complete({ mfaToken: await mfaToken('dee@example.com'), recoveryCode: recovery })).status,
    ).toBe(200);
  });

  test('ten refusals in a window stop the account, across sign-ins, with Retry-After', async () => {
    const eve = await register('eve@example.com');
    const keys = await enableTwoFactor(api, eve.token);
    for (let i = 0; i < 2; i++) {
      const token = await mfaToken('eve@example.com');
      for (let j = 0; j < 5; j++)
        expect((await complete({ mfaToken: token, code: '000000' })).status).toBe(400);
    }
    const blocked = await login('eve@example.com');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toBe('too_many_attempts');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const disable = await api.request('POST', '/api/me/2fa/disable', {
      token: eve.token,
      body: { password: PASSWORD, code: totpCode(keys.secret, Date.now() + 30_000) },
    });
    expect(disable.status).toBe(429);
  });
});

describe('turning 2FA off', () => {
  test('needs the password and a fresh code; afterwards the password alone signs in', async () => {
    const fay = await register('fay@example.com');
    const enabledAt = Date.now();
    const keys = await enableTwoFactor(api, fay.token);
    const disable = (body: Record<string, unknown>) =>
      api.request('POST', '/api/me/2fa/disable', { token: fay.token, body });
    const nextCode = totpCode(keys.secret, enabledAt + 30_000);

    const wrongPassword = await disable({ password: 'not-the-password', code: nextCode });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body).toMatchObject({ error: 'invalid_password', details: { field: 'password' } });
    const wrongCode = await disable({ password: PASSWORD, code: '000000' });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.error).toBe('invalid_two_factor_code');
    const spent = await disable({ password: PASSWORD, code: totpCode(keys.secret, enabledAt) });
    expect(spent.body.error).toBe('two_factor_code_reused');
    expect((await login('fay@example.com')).body.mfaRequired).toBe(true);

    const done = await disable({ password: PASSWORD, code: nextCode });
    expect(done.status).toBe(200);
    const session = await login('fay@example.com');
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ token: expect.any(String), user: { email: 'fay@example.com' } });
    const me = await api.request('GET', '/api/me', {
      token: session.body.token,
      headers: { 'X-Min-Position': done.body.position },
    });
    expect(me.body.user.twoFactorEnabled).toBe(false);
    const twice = await disable({ password: PASSWORD, code: nextCode });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('two_factor_not_enabled');
  });
});

describe('security', () => {
  test('anonymous callers get 401 on /api/me/2fa/*', async () => {
    for (const path of ['/api/me/2fa/setup', '/api/me/2fa/enable', '/api/me/2fa/disable']) {
      const res = await api.request('POST', path, { body: { code: '123456', password: PASSWORD } });
      expect({ path, status: res.status }).toEqual({ path, status: 401 });
    }
  });

  test("one user's mfaToken does not take another user's codes", async () => {
    const gus = await register('gus@example.com');
    const hal = await register('hal@example.com');
    const gusKeys = await enableTwoFactor(api, gus.token);
    await enableTwoFactor(api, hal.token);
    const halToken = await mfaToken('hal@example.com');
    const res = await complete({ mfaToken: halToken, recoveryCode: gusKeys.recoveryCodes[0] });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_recovery_code');
    // Gus's code is still unspent.
    expect(
      (
        await complete({
          mfaToken: await mfaToken('gus@example.com'),
          recoveryCode: gusKeys.recoveryCodes[0],
        })
      ).status,
    ).toBe(200);
  });

  test('staff without 2FA get 403 two_factor_required on /api/admin/*, can still set it up, then pass', async () => {
    const login = await api.request('POST', '/api/auth/login', { body: TEST_ADMIN });
    expect(login.body.token).toEqual(expect.any(String));
    const refused = await api.request('GET', '/api/admin/users', { token: login.body.token });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ error: 'two_factor_required', message: expect.any(String) });
    // A customer still gets the plain 403.
    const customer = await register('ivy@example.com');
    expect((await api.request('GET', '/api/admin/users', { token: customer.token })).body.error).toBe(
      'forbidden',
    );

    const admin = await signInAdmin(api); // turns 2FA on through /api/me/2fa
    expect((await api.request('GET', '/api/admin/users', { token: admin.token })).status).toBe(200);
    const again = await signInAdmin(api); // now through the second step
    expect(await streamTypes(admin.user.id)).toContain('TwoFactorChallengeCompleted');
    expect((await api.request('GET', '/api/admin/users', { token: again.token })).status).toBe(200);
  });
});
