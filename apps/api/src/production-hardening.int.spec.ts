import { startTestApi, type TestApi, signInAdmin } from './testing/api-test-app';

const METRICS_TOKEN = 'metrics-token-for-the-scraper-0123456789';

describe('an API with a metrics token and the docs UI switched off', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi({ configOverrides: { metricsToken: METRICS_TOKEN, docsUi: false } });
  });
  afterAll(async () => {
    await api?.close();
  });

  test('answers with helmet’s security headers', async () => {
    const res = await api.request('GET', '/api/health');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  test('refuses /metrics without the bearer token or with a wrong one', async () => {
    const anonymous = await api.request('GET', '/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: 'unauthorized' });
    const wrong = await api.request('GET', '/metrics', { token: `${METRICS_TOKEN}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('stratus_api_');
  });

  test('serves /metrics with the bearer token', async () => {
    const res = await api.request('GET', '/metrics', { token: METRICS_TOKEN });
    expect(res.status).toBe(200);
    expect(res.text).toContain('stratus_api_http_requests_total');
  });

  test('does not serve the Swagger UI but still serves the OpenAPI document', async () => {
    expect((await api.request('GET', '/api/docs')).status).toBe(404);
    const document = await api.request('GET', '/api/openapi.json');
    expect(document.status).toBe(200);
    expect(document.body).toMatchObject({ openapi: expect.any(String) });
  });
});

describe('an API with the defaults outside production', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  test('public /api/health gives a status per component, no addresses, kinds, lags or error texts', async () => {
    const res = await api.request('GET', '/api/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
    expect(res.body.database).toEqual({ status: 'up' });
    expect(res.body.eventStore).toEqual({ status: 'up' });
    expect(res.body.temporal).toEqual({ status: 'not_configured' });
    expect(res.body.projections.length).toBeGreaterThan(0);
    for (const projection of res.body.projections) {
      expect(Object.keys(projection).sort()).toEqual(['name', 'status']);
    }
  });

  test('staff /api/admin/health gives the details; anonymous 401, customer 403', async () => {
    expect((await api.request('GET', '/api/admin/health')).status).toBe(401);
    const customer = await api.request('POST', '/api/auth/register', {
      body: { email: 'carol@example.com', password: 'a-long-password-1', name: 'carol' },
    });
    expect(customer.status).toBe(201);
    expect((await api.request('GET', '/api/admin/health', { token: customer.body.token })).status).toBe(403);
    const admin = await signInAdmin(api);
    const res = await api.request('GET', '/api/admin/health', { token: admin.token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', eventStore: { status: 'up', kind: 'postgres' } });
    expect(res.body.projections[0]).toHaveProperty('lagEvents');
  });

  test('serves the Swagger UI and an open /metrics', async () => {
    const docs = await api.request('GET', '/api/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger-ui');
    expect((await api.request('GET', '/metrics')).status).toBe(200);
  });
});
