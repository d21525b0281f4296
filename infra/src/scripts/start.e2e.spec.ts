/**
 * The README's promise, end to end through real processes: `start.js` boots the API and the workers
 * (as `npm start` does, minus the web build) with the Temporal dev server and the Linode simulator it
 * starts itself (on free ports, so a developer's running instance is untouched), and a customer registers,
 * logs in, is credited by staff and reads the balance and ledger that the workers' projections wrote.
 * Ctrl-C stops everything: every child process is gone, Temporal last.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { alive, apiCall, startStack, type ApiCall, type Stack } from '../testing';

const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };

let stack: Stack;
let call: ApiCall;
let dataDir: string;
let metricsUrl: string;
let temporalAddress: string;
let temporalUiUrl: string;
let simUrl: string;
const output = () => stack.output();

beforeAll(async () => {
  stack = await startStack({
    name: 'start',
    services: ['api', 'workers'],
    env: { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    bannerTimeoutMs: 120_000,
  });
  call = apiCall(stack.urls.api);
  ({ dataDir, temporalAddress } = stack);
  metricsUrl = stack.urls.metrics;
  temporalUiUrl = stack.urls.temporalUi;
  simUrl = stack.urls.sim;
});

afterAll(async () => {
  await stack?.stop();
});

test('the launcher runs Temporal (dev server, UI, data in the data directory) and the Linode simulator for the services', async () => {
  const health = await call('GET', '/health');
  expect(health.status).toBe(200);
  expect(health.body).toMatchObject({ status: 'ok', temporal: { status: 'ok' } });
  const admin = await call('POST', '/auth/login', { body: ADMIN });
  const details = await call('GET', '/admin/health', { token: admin.body.token });
  expect(details.body).toMatchObject({
    status: 'ok',
    temporal: { status: 'ok', address: temporalAddress, namespace: 'default' },
  });
  expect(existsSync(join(dataDir, 'temporal.sqlite'))).toBe(true);
  expect((await fetch(temporalUiUrl)).status).toBe(200);
  expect(output()).toMatch(/^temporal\s*│ ready \(pid \d+\)/m);

  const regions = await fetch(`${simUrl}/v4/regions`, {
    headers: { authorization: 'Bearer simulator-token' },
  });
  expect(regions.status).toBe(200);
  expect(output()).toMatch(/^sim\s*│ ready: /m);
});

test('the launcher runs the PayPal simulator (webhooks to the API) and stripe-mock for the services', async () => {
  const token = await fetch(`${stack.urls.paypal}/v1/oauth2/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from('sim-client-id:sim-client-secret').toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  expect(token.status).toBe(200);
  const webhooks = (await (await fetch(`${stack.urls.paypal}/__sim/webhooks`)).json()) as { url: string };
  expect(webhooks.url).toBe(`${stack.urls.api.replace('localhost', '127.0.0.1')}/webhooks/paypal`);
  // stripe-mock answers Stripe's API (401: no key given).
  expect((await fetch(`${stack.urls.stripe}/v1/customers`)).status).toBe(401);
  expect(output()).toMatch(/^stripe\s*│ ready \(pid \d+\)/m);
  expect(output()).toContain(`PayPal sim   ${stack.urls.paypal}`);
  expect(output()).toContain(`stripe-mock  ${stack.urls.stripe}`);
});

test('the launcher runs Mailpit for the workers’ mail and shows its web UI in the banner', async () => {
  expect((await fetch(`${stack.urls.mailpit}/api/v1/messages`)).status).toBe(200);
  expect(output()).toMatch(/^mail\s*│ ready \(pid \d+\)/m);
  expect(output()).toContain(`Mailpit      ${stack.urls.mailpit.replace('127.0.0.1', 'localhost')}`);
});

test('register → login → staff credit → balance and ledger from the workers’ projections; Ctrl-C stops all', async () => {
  const health = await call('GET', '/health');
  expect(health.status).toBe(200);
  expect(health.body.status).toBe('ok');

  const registered = await call('POST', '/auth/register', {
    body: { email: 'grace@example.com', password: 'correct-horse-battery', name: 'Grace' },
  });
  expect(registered.status).toBe(201);
  const orgId: string = registered.body.organization.id;

  const login = await call('POST', '/auth/login', {
    body: { email: 'grace@example.com', password: 'correct-horse-battery' },
  });
  expect(login.status).toBe(200);
  const token: string = login.body.token;

  const admin = await call('POST', '/auth/login', { body: ADMIN });
  expect(admin.status).toBe(200);
  const credit = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin.body.token,
    body: { amount: '42.125000', reason: 'Launch credit' },
  });
  expect(credit.status).toBe(201);
  expect(credit.body.balance).toBe('42.125000');

  // The read models are written by the separate workers process; X-Min-Position waits for them.
  const readYourWrite = { 'X-Min-Position': credit.body.position as string };
  const wallet = await call('GET', `/organizations/${orgId}/wallet`, { token, headers: readYourWrite });
  expect(wallet.status).toBe(200);
  expect(wallet.headers.get('x-projection-lag')).toBeNull();
  expect(wallet.body).toMatchObject({ balance: '42.125000', currency: 'USD', organizationId: orgId });

  const ledger = await call('GET', `/organizations/${orgId}/wallet/transactions`, {
    token,
    headers: readYourWrite,
  });
  expect(ledger.status).toBe(200);
  expect(ledger.body.items).toEqual([
    expect.objectContaining({
      type: 'WalletCredited',
      amount: '42.125000',
      balanceAfter: '42.125000',
      description: 'Launch credit',
    }),
  ]);

  const metrics = await fetch(metricsUrl).then((r) => r.text());
  expect(metrics).toMatch(/stratus_projection_lag_events\{projection="wallet-transactions"\} 0/);

  const pids = stack.pids();
  expect(Object.keys(pids).sort()).toEqual(['api', 'mail', 'paypal', 'sim', 'stripe', 'temporal', 'workers']);
  expect(await stack.interrupt()).toBe(0);
  expect(Object.entries(pids).filter(([, pid]) => alive(pid))).toEqual([]);
  // The services stop before what they use.
  expect(output().indexOf('temporal│ stopping')).toBeGreaterThan(output().indexOf('stopping api, workers'));
  expect(output().indexOf('mail    │ stopping')).toBeGreaterThan(output().indexOf('stopping api, workers'));
});
