/**
 * /api/admin/health (the staff view of /api/health) and Temporal, against the real dev server: 'ok' with the address and namespace when it answers,
 * 'down' (and 503 overall) when nothing answers at the configured address, not counted when not configured.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTemporalTestEnvironment } from '@stratus/infra/testing';
import { createServer } from 'node:net';
import { startTestApi, type HttpResult, type TestApi, signInAdmin } from '../../testing/api-test-app';

function unusedPort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? res(address.port) : rej(new Error('no port')),
      );
    });
  });
}

let temporal: TestWorkflowEnvironment;
let running: TestApi | undefined;
beforeAll(async () => {
  temporal = await createTemporalTestEnvironment();
}, 120_000);
// One API (with its connection pools) at a time: PostgreSQL's connection limit is shared with other suites.
afterEach(async () => {
  await running?.close();
  running = undefined;
});
afterAll(async () => {
  await temporal?.teardown();
});

async function apiWithTemporal(
  settings: { address: string; namespace: string } | null,
): Promise<{ request: (path: string) => Promise<HttpResult> }> {
  const api = await startTestApi({ configOverrides: { temporal: settings } });
  running = api;
  const token = (await signInAdmin(api)).token;
  return { request: (path) => api.request('GET', path, { token }) };
}

test('temporal ok with its address and namespace when the frontend answers', async () => {
  const address = temporal.connection.options.address;
  const api = await apiWithTemporal({ address, namespace: temporal.namespace ?? 'default' });
  const res = await api.request('/api/admin/health');
  expect(res.body).toMatchObject({
    status: 'ok',
    temporal: { status: 'ok', address, namespace: temporal.namespace ?? 'default' },
  });
  expect(res.status).toBe(200);
});

test('temporal down makes the API degraded (503), within the probe timeout', async () => {
  const address = `127.0.0.1:${await unusedPort()}`;
  const api = await apiWithTemporal({ address, namespace: 'default' });
  const started = Date.now();
  const res = await api.request('/api/admin/health');
  expect(Date.now() - started).toBeLessThan(5000);
  expect(res.status).toBe(503);
  expect(res.body).toMatchObject({
    status: 'degraded',
    database: { status: 'up' },
    temporal: { status: 'down', address, namespace: 'default', error: expect.any(String) },
  });
  const publicView = await api.request('/api/health');
  expect(publicView.status).toBe(503);
  expect(publicView.body.temporal).toEqual({ status: 'down' });
});

test('an unknown namespace is down too', async () => {
  const address = temporal.connection.options.address;
  const api = await apiWithTemporal({ address, namespace: 'no-such-namespace' });
  const res = await api.request('/api/admin/health');
  expect(res.status).toBe(503);
  expect(res.body.temporal).toMatchObject({ status: 'down', namespace: 'no-such-namespace' });
});

test('not configured (the API tests default) is reported and not counted', async () => {
  const api = await apiWithTemporal(null);
  const res = await api.request('/api/admin/health');
  expect(res.body).toMatchObject({ status: 'ok', temporal: { status: 'not_configured' } });
  expect(res.status).toBe(200);
});
