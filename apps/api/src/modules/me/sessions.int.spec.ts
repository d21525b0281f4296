import { JwtService } from '@nestjs/jwt';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { waitFor } from '@stratus/infra/testing';
import { createApiApp } from '../../app.factory';
import { startTestApi, TEST_JWT_SECRET, type TestApi } from '../../testing/api-test-app';

/** Sessions: tokens carry a session id, which logout, "sign out" and "sign out everywhere else" end. */
describe('sessions', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ seedAdmin: false });
  });
  afterAll(async () => {
    await api?.close();
  });

  async function register(email: string) {
    const res = await api.request('POST', '/api/auth/register', {
      body: { email, password: 'long-password-123', name: 'Sam' },
    });
    expect(res.status).toBe(201);
    return res.body.token as string;
  }
  async function login(email: string, userAgent = 'Jest') {
    const res = await api.request('POST', '/api/auth/login', {
      body: { email, password: 'long-password-123' },
      headers: { 'user-agent': userAgent },
    });
    expect(res.status).toBe(200);
    return res.body.token as string;
  }
  const sessionsOf = async (token: string) => {
    const res = await waitFor(
      'sessions listed',
      async () => {
        const seen = await api.request('GET', '/api/me/sessions', { token });
        return { value: seen.status === 200 ? seen : undefined, seen: seen.status };
      },
      10_000,
    );
    return res.body.sessions as { id: string; userAgent: string; current: boolean; ip: string }[];
  };
  const sessionIdOf = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sid: string }).sid;

  it("answers 404 for another user's session, an unknown one and a malformed id, changing nothing", async () => {
    const mine = await register('kim@example.com');
    const theirs = await register('lee@example.com');
    const before = await api.eventCount();
    for (const id of [sessionIdOf(theirs), '00000000-0000-4000-8000-000000000000']) {
      const res = await api.request('DELETE', `/api/me/sessions/${id}`, { token: mine });
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ error: 'session_not_found' });
    }
    expect((await api.request('DELETE', '/api/me/sessions/not-an-id', { token: mine })).status).toBe(404);
    expect(await api.eventCount()).toBe(before);
    expect((await api.request('GET', '/api/me', { token: theirs })).status).toBe(200);
  });

  it('signs out everywhere else, keeping the session that asks', async () => {
    const first = await register('max@example.com');
    const others = [await login('max@example.com'), await login('max@example.com')];
    const res = await api.request('DELETE', '/api/me/sessions', { token: first });
    expect(res.status).toBe(200);
    expect([...res.body.revokedSessionIds].sort()).toEqual(others.map(sessionIdOf).sort());
    for (const token of others) {
      expect((await api.request('GET', '/api/me', { token })).status).toBe(401);
    }
    expect((await api.request('GET', '/api/me', { token: first })).status).toBe(200);
    // Nothing left to end: an empty answer, nothing appended.
    const again = await api.request('DELETE', '/api/me/sessions', { token: first });
    expect(again.body.revokedSessionIds).toEqual([]);
  });

  it('refuses a correctly signed token that names no session', async () => {
    const token = await register('bo@example.com');
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    const jwt = api.app.get(JwtService);
    const withoutSid = jwt.sign(
      { sub: claims.sub, email: claims.email, role: claims.role },
      {
        secret: TEST_JWT_SECRET,
        issuer: 'stratus',
        audience: 'stratus-api',
        expiresIn: 600,
        algorithm: 'HS256',
      },
    );
    const unknownSid = jwt.sign(
      {
        sub: claims.sub,
        email: claims.email,
        role: claims.role,
        sid: '00000000-0000-4000-8000-000000000001',
      },
      {
        secret: TEST_JWT_SECRET,
        issuer: 'stratus',
        audience: 'stratus-api',
        expiresIn: 600,
        algorithm: 'HS256',
      },
    );
    expect((await api.request('GET', '/api/me', { token: withoutSid })).status).toBe(401);
    expect((await api.request('GET', '/api/me', { token: unknownSid })).status).toBe(401);
    expect((await api.request('GET', '/api/me', { token })).status).toBe(200);
  });
  it('logout ends the session on the server: the same token is refused at once', async () => {
    const token = await register('ana@example.com');
    expect((await api.request('GET', '/api/me', { token })).status).toBe(200);
    expect((await api.request('POST', '/api/auth/logout', { token })).status).toBe(204);
    expect((await api.request('GET', '/api/me', { token })).status).toBe(401);
    expect((await api.request('POST', '/api/auth/logout', { token })).status).toBe(401);
  });

  it('asks for a session token on every session route', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    for (const [method, path] of [
      ['POST', '/api/auth/logout'],
      ['GET', '/api/me/sessions'],
      ['DELETE', '/api/me/sessions'],
      ['DELETE', `/api/me/sessions/${id}`],
    ]) {
      expect((await api.request(method, path)).status).toBe(401);
    }
  });

  /**
   * A second app over the same database, as behind a load balancer: each app asks its own SessionChecker
   * (and cache), so a revocation through one reaches the other through PostgreSQL only.
   */
  describe('across two API instances', () => {
    let second: NestExpressApplication;
    let secondUrl: string;
    beforeAll(async () => {
      second = await createApiApp(api.config, { logger: ['error'], seedAdmin: false });
      await second.listen(0, '127.0.0.1');
      secondUrl = `http://127.0.0.1:${(second.getHttpServer().address() as { port: number }).port}`;
    });
    afterAll(async () => {
      await second?.close();
    });

    const onSecond = async (path: string, token: string) =>
      (await fetch(`${secondUrl}${path}`, { headers: { authorization: `Bearer ${token}` } })).status;
    const refusedBySecond = (token: string) =>
      waitFor(
        'the other instance refuses the revoked session',
        async () => {
          const status = await onSecond('/api/me', token);
          return { value: status === 401 ? status : undefined, seen: status };
        },
        5_000,
      );

    it('lists the open sessions, marks the current one, and ends one by id on every instance', async () => {
      const first = await register('sam@example.com');
      const laptop = await login('sam@example.com', 'Laptop browser');
      expect(sessionIdOf(first)).not.toEqual(sessionIdOf(laptop));

      const listed = await waitFor(
        'both sessions listed',
        async () => {
          const seen = await sessionsOf(first);
          return { value: seen.length === 2 ? seen : undefined, seen };
        },
        10_000,
      );
      expect(listed.find((s) => s.current)?.id).toBe(sessionIdOf(first));
      expect(listed.find((s) => !s.current)).toMatchObject({
        id: sessionIdOf(laptop),
        userAgent: 'Laptop browser',
        ip: expect.any(String),
      });
      // The second instance has answered for the laptop's session (and cached that answer).
      expect(await onSecond('/api/me', laptop)).toBe(200);

      const revoked = await api.request('DELETE', `/api/me/sessions/${sessionIdOf(laptop)}`, {
        token: first,
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedSessionIds).toEqual([sessionIdOf(laptop)]);
      await refusedBySecond(laptop);
      expect((await api.request('GET', '/api/me', { token: first })).status).toBe(200);
      expect(await onSecond('/api/me', first)).toBe(200);
      expect((await sessionsOf(first)).map((s) => s.id)).toEqual([sessionIdOf(first)]);
    });

    it('a logout through one instance is refused by the other within seconds', async () => {
      const token = await register('eve@example.com');
      expect(await onSecond('/api/me', token)).toBe(200);
      expect((await api.request('POST', '/api/auth/logout', { token })).status).toBe(204);
      await refusedBySecond(token);
    });
  });
});
