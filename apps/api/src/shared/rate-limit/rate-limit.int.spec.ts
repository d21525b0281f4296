import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import { createApiApp } from '../../app.factory';
import { AuthThrottle } from '../../modules/auth/shared/auth-throttle.service';
import { startTestApi, type HttpResult, type TestApi } from '../../testing/api-test-app';
import { RateLimiter } from './rate-limiter.service';

const PASSWORD = 'a-long-password-1';
const MINUTE = 60;
const HOUR = 3600;

/** Request limits live in PostgreSQL: shared by every API instance, race-free, with the IETF headers. */
describe('rate limits', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      seedAdmin: false,
      configOverrides: {
        http: { port: 0, host: '127.0.0.1', trustProxy: 'loopback' },
        rateLimits: {
          anonymous: { limit: 5, periodSeconds: MINUTE },
          user: { limit: 8, periodSeconds: MINUTE },
          apiKey: { limit: 3, periodSeconds: MINUTE },
          registration: { limit: 3, periodSeconds: HOUR },
          organizationCreation: { limit: 2, periodSeconds: HOUR },
          powerActions: { limit: 1, periodSeconds: MINUTE },
          tickets: { limit: 2, periodSeconds: MINUTE },
        },
      },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  let addresses = 0;
  /** A visitor address of its own (through the portal, X-Forwarded-For), so tests do not share allowances. */
  const freshAddress = () => `198.51.100.${++addresses}`;
  const from = (address: string) => ({ 'x-forwarded-for': address });
  const register = (address: string) =>
    api.request('POST', '/api/auth/register', {
      body: { email: `${randomUUID()}@example.com`, password: PASSWORD, name: 'Pat' },
      headers: from(address),
    });
  const newUser = async () => {
    const res = await register(freshAddress());
    expect(res.status).toBe(201);
    return { token: res.body.token as string, orgId: res.body.organization.id as string };
  };
  const refusal = (res: HttpResult, policy: string) => {
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 429,
      body: { error: 'rate_limited', details: { policy } },
    });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  };

  it('counts anonymous requests per visitor address, with RateLimit headers on every answer', async () => {
    const address = freshAddress();
    const answers: HttpResult[] = [];
    for (let n = 0; n < 5; n++)
      answers.push(await api.request('GET', '/api/vps/plans', { headers: from(address) }));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(answers.map((a) => a.headers.get('ratelimit-policy'))).toEqual(
      Array(5).fill('"anonymous";q=5;w=60'),
    );
    expect(answers.map((a) => /r=(\d+)/.exec(a.headers.get('ratelimit') ?? '')?.[1])).toEqual([
      '4',
      '3',
      '2',
      '1',
      '0',
    ]);
    const refused = await api.request('GET', '/api/vps/plans', { headers: from(address) });
    refusal(refused, 'anonymous');
    // One request comes back every 12 s (5 per minute).
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(12);
    expect(refused.headers.get('ratelimit')).toMatch(/^"anonymous";r=0;t=(59|60)$/);
    expect((await api.request('GET', '/api/vps/plans', { headers: from(freshAddress()) })).status).toBe(200);
  });

  it('counts a signed-in user’s requests per user, from any session and address, not per address', async () => {
    const alice = await newUser();
    const bob = await newUser();
    const address = freshAddress();
    // Signed-in requests leave the address's anonymous allowance alone (the limit reads the session's user).
    for (let n = 0; n < 8; n++) {
      const res = await api.request('GET', '/api/me', {
        token: alice.token,
        headers: from(n % 2 ? address : freshAddress()),
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"user";q=8;w=60');
    }
    refusal(
      await api.request('GET', '/api/me', { token: alice.token, headers: from(freshAddress()) }),
      'user',
    );
    expect((await api.request('GET', '/api/me', { token: bob.token })).status).toBe(200);
    expect((await api.request('GET', '/api/vps/plans', { headers: from(address) })).status).toBe(200);
  });

  it('counts an API key’s requests per key, apart from its owner’s sessions', async () => {
    const owner = await newUser();
    const created = await api.request('POST', '/api/me/api-keys', {
      token: owner.token,
      body: { name: 'ci', organizationId: owner.orgId, permissions: ['vps_view'] },
    });
    expect(created.status).toBe(201);
    const servers = (token: string) => api.request('GET', `/api/organizations/${owner.orgId}/vps`, { token });
    for (let n = 0; n < 3; n++) {
      const res = await servers(created.body.key);
      expect(res.status).toBe(200);
      expect(res.headers.get('ratelimit-policy')).toBe('"api-key";q=3;w=60');
    }
    refusal(await servers(created.body.key), 'api-key');
    const bySession = await servers(owner.token);
    expect(bySession.status).toBe(200);
    expect(bySession.headers.get('ratelimit-policy')).toBe('"user";q=8;w=60');
  });

  it('grants exactly the allowance to parallel requests', async () => {
    const address = freshAddress();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => api.request('GET', '/api/vps/plans', { headers: from(address) })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });

  describe('a second API instance over the same database', () => {
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

    it('sees what the first one counted', async () => {
      const address = freshAddress();
      for (let n = 0; n < 5; n++) {
        expect((await api.request('GET', '/api/vps/plans', { headers: from(address) })).status).toBe(200);
      }
      const onSecond = await fetch(`${secondUrl}/api/vps/plans`, { headers: from(address) });
      expect(onSecond.status).toBe(429);
      expect(onSecond.headers.get('ratelimit')).toMatch(/^"anonymous";r=0;/);
    });
  });

  it('registrations: a stricter limit per visitor address; a refused one records nothing', async () => {
    const address = freshAddress();
    const answers = await Promise.all([register(address), register(address), register(address)]);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
    const before = await api.eventCount();
    const refused = await register(address);
    refusal(refused, 'registration');
    expect(refused.headers.get('ratelimit-policy')).toBe('"anonymous";q=5;w=60, "registration";q=3;w=3600');
    expect(await api.eventCount()).toBe(before);
    expect((await register(freshAddress())).status).toBe(201);
  });

  it('organization creation: a stricter limit per user', async () => {
    const carol = await newUser();
    const create = () =>
      api.request('POST', '/api/organizations', { token: carol.token, body: { name: 'Side project' } });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    refusal(await create(), 'organization-creation');
    const dave = await newUser();
    expect(
      (await api.request('POST', '/api/organizations', { token: dave.token, body: { name: 'Mine' } })).status,
    ).toBe(201);
  });

  it('tickets: console and live tickets together, per user', async () => {
    const erin = await newUser();
    const live = () => api.request('POST', '/api/live/tickets', { token: erin.token });
    expect((await live()).status).toBe(200);
    // A console ticket for a server that is not there is refused by the handler: it counted all the same.
    const console = await api.request(
      'POST',
      `/api/organizations/${erin.orgId}/vps/${randomUUID()}/console-tickets`,
      {
        token: erin.token,
      },
    );
    expect(console.status).toBe(404);
    refusal(await live(), 'tickets');
  });

  it('power actions: one allowance per server, which other tenants cannot spend', async () => {
    const owner = await newUser();
    const intruder = await newUser();
    const vpsId = randomUUID();
    const act = (who: { token: string }, orgId: string) =>
      api.request('POST', `/api/organizations/${orgId}/vps/${vpsId}/actions`, {
        token: who.token,
        body: { action: 'reboot' },
      });
    // The intruder names the server under their own organization, and under the owner's: neither spends the
    // owner's allowance for it.
    expect((await act(intruder, intruder.orgId)).status).toBe(404);
    refusal(await act(intruder, intruder.orgId), 'power-actions');
    expect((await act(intruder, owner.orgId)).status).toBe(404);
    expect((await act(owner, owner.orgId)).status).toBe(404);
    const refused = await act(owner, owner.orgId);
    refusal(refused, 'power-actions');
    expect(refused.headers.get('ratelimit-policy')).toBe('"user";q=8;w=60, "power-actions";q=1;w=60');
    expect(refused.headers.get('ratelimit')).toMatch(/"power-actions";r=0;t=(59|60)$/);
  });

  it('prunes what no longer limits anything, and the sign-in throttle’s old rows', async () => {
    const connection = api.orm.em.getConnection();
    await connection.execute(
      `insert into rate_limits (key, tat, allowed) values
         ('user:test-pruned', now() - interval '1 second', true),
         ('user:test-kept', now() + interval '1 minute', true)`,
    );
    await connection.execute(
      `insert into auth_throttle (key, attempts, last_attempt_at, next_allowed_at) values
         ('login-account:pruned@example.com', 3, now() - interval '2 days', now() - interval '2 days'),
         ('login-account:recent@example.com', 3, now() - interval '1 minute', now() - interval '1 minute'),
         ('login-account:waiting@example.com', 9, now() - interval '2 days', now() + interval '1 hour')`,
    );
    expect(await api.app.get(RateLimiter).prune()).toBeGreaterThanOrEqual(1);
    expect(await api.app.get(AuthThrottle).prune()).toBeGreaterThanOrEqual(1);
    const keys = async (table: string, like: string) =>
      (
        await connection.execute<{ key: string }[]>(
          `select key from ${table} where key like ? order by key`,
          [like],
        )
      ).map((row) => row.key);
    expect(await keys('rate_limits', 'user:test-%')).toEqual(['user:test-kept']);
    expect(await keys('auth_throttle', 'login-account:%@example.com')).toEqual([
      'login-account:recent@example.com',
      'login-account:waiting@example.com',
    ]);
  });
});
