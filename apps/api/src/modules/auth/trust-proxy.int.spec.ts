import { DEFAULT_AUTH_THROTTLE } from './shared/auth-throttle.service';
import { startTestApi, type TestApi } from '../../testing/api-test-app';

/**
 * TRUST_PROXY=loopback (what `npm start` sets): the portal calls the API from this machine and forwards each
 * visitor's address, so the per-address login throttle counts visitors, not the portal.
 */
describe('TRUST_PROXY=loopback', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({
      configOverrides: { http: { port: 0, host: '127.0.0.1', trustProxy: 'loopback' } },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  const failLogin = (n: number, forwardedFor: string) =>
    api.request('POST', '/api/auth/login', {
      body: { email: `nobody-${n}@example.com`, password: 'wrong-password-123' },
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it('throttles the forwarded visitor address, not the proxy in front of the API', async () => {
    const limit = DEFAULT_AUTH_THROTTLE.loginAddress.free;
    for (let n = 0; n < limit; n++) expect((await failLogin(n, '203.0.113.7')).status).toBe(401);
    expect((await failLogin(limit, '203.0.113.7')).status).toBe(429);
    // Another visitor behind the same portal is not locked out.
    expect((await failLogin(limit + 1, '198.51.100.20')).status).toBe(401);
  });
});
