import { startTestApi, type TestApi } from '../../testing/api-test-app';

const PASSWORD = 'right-password-123';

/** Sign-in limits live in PostgreSQL: shared by every API instance and race-free (registrations: rate-limit.int.spec). */
describe('auth throttling', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      seedAdmin: false,
      configOverrides: { http: { port: 0, host: '127.0.0.1', trustProxy: 'loopback' } },
      overrides: {
        authThrottle: {
          // Long enough that the 50 parallel guesses all arrive within the first delay, even on a loaded machine.
          loginAccount: { free: 3, baseDelayMs: 8_000, maxDelayMs: 8_000, resetAfterMs: 60_000 },
          loginAddress: { free: 1_000, baseDelayMs: 60_000, maxDelayMs: 60_000, resetAfterMs: 60_000 },
        },
      },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  const from = (address: string) => ({ 'x-forwarded-for': address });
  const register = (email: string, address: string) =>
    api.request('POST', '/api/auth/register', {
      body: { email, password: PASSWORD, name: 'Pat' },
      headers: from(address),
    });
  const login = (email: string, password: string, address: string) =>
    api.request('POST', '/api/auth/login', { body: { email, password }, headers: from(address) });

  it('50 parallel wrong guesses: no more passwords are checked than the account allows', async () => {
    expect((await register('target@example.com', '198.51.100.1')).status).toBe(201);
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, n) => login('target@example.com', `guess-${n}-wrong`, `203.0.113.${n}`)),
    );
    const statuses = answers.map((a) => a.status);
    // 401 means the password was checked; everything else was refused before the check.
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(47);
    const refused = answers.find((a) => a.status === 429)!;
    expect(refused.body).toMatchObject({ error: 'too_many_attempts' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('delays instead of locking out: the owner signs in from a fresh address once the delay has passed', async () => {
    expect((await register('owner@example.com', '198.51.100.2')).status).toBe(201);
    for (let n = 0; n < 3; n++) {
      expect((await login('owner@example.com', 'wrong-password-1', '203.0.113.200')).status).toBe(401);
    }
    const delayed = await login('owner@example.com', PASSWORD, '192.0.2.10');
    expect(delayed.status).toBe(429);
    const wait = Number(delayed.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(8);
    await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    // The delay is over: the right password from another address signs in, and clears the count.
    expect((await login('owner@example.com', PASSWORD, '192.0.2.10')).status).toBe(200);
    expect((await login('owner@example.com', 'wrong-password-1', '203.0.113.200')).status).toBe(401);
  });
});
