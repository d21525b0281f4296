/**
 * Rebuild, resize and backups through the API and a Temporal worker in this process sharing one database, the
 * Linode simulator's servers answering SSH and the console connecting to them: a server created with a key is
 * resized (its next billing period charged at the new price, the one in progress at the old), given backups (the
 * upcharge added), then rebuilt with another key only: the console connects again (its pinned host key was reset,
 * no 4495) and root logs in with the new key, not the old one.
 */
import WebSocket from 'ws';
import { Client, utils } from 'ssh2';
import { money, streams } from '@stratus/domain';
import { TASK_QUEUE } from '@stratus/workflows';
import {
  eventually,
  TemporalHarness,
  TEST_KEY,
} from '../../../../workers/src/temporal/testing/temporal-harness';
import { signInAdmin, startTestApi, type HttpResult, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(240_000);

const ORIGIN = 'http://portal.stratus.test';
/** Short billing periods, so that the period after a resize is charged within the test. */
const PERIOD_SECONDS = 20;

const harness = new TemporalHarness({ simulatorSsh: true });
let api: TestApi;
let owner: { token: string; orgId: string; userId: string };
const plans: Record<'nano' | 'big' | 'elsewhere', string> = { nano: '', big: '', elsewhere: '' };

beforeAll(async () => {
  await harness.setUp();
  harness.taskQueue = TASK_QUEUE;
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
      vps: {
        linode: { apiUrl: harness.simulator.url, token: 'simulator-token' },
        secretsEncryptionKey: TEST_KEY,
        minBalanceHours: 1,
        billingPeriodSeconds: PERIOD_SECONDS,
        suspendGraceSeconds: 3600,
        provisioningRunningTimeoutSeconds: 30,
      },
      console: { allowedOrigins: [ORIGIN], sshPort: harness.simulator.ssh!.port, sshUsername: 'root' },
    },
  });
  await harness.startWorker();
  const admin = (await signInAdmin(api)).token;
  const definitions = [
    ['nano', 'Nano', 'g6-nanode-1', ['us-east'], '5.00'],
    ['big', 'Big', 'g6-standard-1', ['us-east'], '10.00'],
    ['elsewhere', 'Far', 'g6-standard-2', ['eu-west'], '20.00'],
  ] as const;
  for (const [key, name, providerPlanId, regions, base] of definitions) {
    const plan = await api.request('POST', '/api/admin/plans', {
      token: admin,
      body: {
        name,
        providerPlanId,
        regions,
        baseMonthlyPrice: base,
        markup: '1.00',
        backupUpcharge: '2.00',
        active: true,
      },
    });
    expect({ status: plan.status, body: plan.body }).toMatchObject({ status: 201 });
    plans[key] = plan.body.id;
  }
  const registered = await api.request('POST', '/api/auth/register', {
    body: { email: 'rebuilder@example.com', password: 'a-long-password-1', name: 'Rebuilder' },
  });
  owner = {
    token: registered.body.token,
    orgId: registered.body.organization.id,
    userId: registered.body.user.id,
  };
  const credit = await api.request('POST', `/api/admin/organizations/${owner.orgId}/wallet/credits`, {
    token: admin,
    body: { amount: '50.00', reason: 'test funds' },
  });
  expect(credit.status).toBe(201);
});
afterAll(async () => {
  await api?.close();
  await harness.tearDown();
});

function login(host: string, privateKey: string): Promise<void> {
  return new Promise((resolveLogin, rejectLogin) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.end();
        resolveLogin();
      })
      .on('error', rejectLogin)
      .connect({
        host,
        port: harness.simulator.ssh!.port,
        username: 'root',
        privateKey,
        readyTimeout: 20_000,
      });
  });
}

/** Opens the browser console on the server: 'ready', or how the socket closed. */
async function openConsole(vpsId: string): Promise<'ready' | { code: number; reason: string }> {
  const ticket = await api.request('POST', `/api/organizations/${owner.orgId}/vps/${vpsId}/console-tickets`, {
    token: owner.token,
  });
  expect({ status: ticket.status, body: ticket.body }).toMatchObject({ status: 201 });
  const ws = new WebSocket(`${api.url.replace('http', 'ws')}/api/console`, { origin: ORIGIN });
  return new Promise((resolveOpen, rejectOpen) => {
    const timer = setTimeout(() => rejectOpen(new Error('console: no answer in 30 s')), 30_000);
    ws.on('open', () =>
      ws.send(JSON.stringify({ type: 'auth', ticket: ticket.body.ticket, cols: 80, rows: 24 })),
    );
    ws.on('message', (data) => {
      if ((JSON.parse(data.toString()) as { type: string }).type !== 'ready') return;
      clearTimeout(timer);
      ws.close();
      resolveOpen('ready');
    });
    ws.on('close', (code, reason) => {
      clearTimeout(timer);
      resolveOpen({ code, reason: reason.toString() });
    });
    ws.on('error', rejectOpen);
  });
}

const path = (vpsId: string, rest = '') => `/api/organizations/${owner.orgId}/vps/${vpsId}${rest}`;
const server = (vpsId: string) => api.request('GET', path(vpsId), { token: owner.token });
const serverWhen = (vpsId: string, what: string, check: (res: HttpResult) => boolean, timeoutMs = 60_000) =>
  eventually(
    async () => {
      const res = await server(vpsId);
      return check(res) ? res : undefined;
    },
    what,
    timeoutMs,
  );
/** The server's detail once the operation `id` ended. */
const finished = (vpsId: string, id: string) =>
  serverWhen(
    vpsId,
    `operation ${id}`,
    (res) => res.body.lastOperation?.id === id && res.body.operation === null,
  );

/** The server's period charges in the wallet: [periodStart, amount]. */
async function periodCharges(vpsId: string): Promise<{ start: number; amount: bigint }[]> {
  const events = await api.eventStore.readStream(streams.wallet(owner.orgId));
  return events
    .filter((e) => e.type === 'WalletCharged')
    .map((e) => e.data as { chargeId: string; amount: string })
    .filter((d) => d.chargeId.startsWith(`vps-${vpsId}:`))
    .map((d) => ({ start: Date.parse(d.chargeId.slice(`vps-${vpsId}:`.length)), amount: money(d.amount) }));
}

test('resize (billed from the next period), backups, rebuild with another key: the console connects again', async () => {
  const first = utils.generateKeyPairSync('ed25519');
  const second = utils.generateKeyPairSync('ed25519');
  const keyIds: string[] = [];
  for (const [name, pair] of [
    ['Laptop', first],
    ['Desktop', second],
  ] as const) {
    const key = await api.request('POST', `/api/organizations/${owner.orgId}/ssh-keys`, {
      token: owner.token,
      body: { name, publicKey: pair.public },
    });
    expect(key.status).toBe(201);
    keyIds.push(key.body.key.id);
  }
  const created = await api.request('POST', `/api/organizations/${owner.orgId}/vps`, {
    token: owner.token,
    headers: { 'Idempotency-Key': 'rebuild-resize-1' },
    body: {
      label: 'app-1',
      planId: plans.nano,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Correct-Horse-42-Battery',
      sshKeyIds: [keyIds[0]],
    },
  });
  expect({ status: created.status, body: created.body }).toMatchObject({ status: 202 });
  const vpsId = created.body.id as string;
  const active = await serverWhen(vpsId, 'the server active', (res) => res.body.status === 'active');
  const ipv4 = active.body.ipv4 as string;
  const oldHourly = money(active.body.hourlyPrice);
  // The console pins the server's host key on first use.
  expect(await openConsole(vpsId)).toBe('ready');

  // Refused before anything is recorded: the same plan, a plan not offered in the region, bad rebuilds.
  const refusals: [string, string, unknown, number, string][] = [
    ['POST', '/resize', { planId: plans.nano }, 400, 'same_plan'],
    ['POST', '/resize', { planId: plans.elsewhere }, 422, 'region_not_offered'],
    ['POST', '/resize', { planId: '00000000-0000-4000-8000-000000000000' }, 422, 'plan_not_available'],
    ['POST', '/rebuild', { image: 'linode/debian11', sshKeyIds: ['no-such-key'] }, 422, 'ssh_key_not_found'],
    ['POST', '/rebuild', { image: 'linode/debian11' }, 400, 'no_root_login'],
    ['POST', '/rebuild', { image: 'linode/debian11', rootPassword: 'weak' }, 400, 'weak_root_password'],
    ['POST', '/rebuild', { image: 'linode/nope', sshKeyIds: [keyIds[1]] }, 422, 'image_not_available'],
    ['DELETE', '/backups', undefined, 409, 'backups_not_enabled'],
  ];
  const before = (await api.eventStore.readStream(streams.vps(vpsId))).length;
  for (const [method, rest, body, status, error] of refusals) {
    const res = await api.request(method as 'POST', path(vpsId, rest), { token: owner.token, body });
    expect({ route: `${method} ${rest}`, status: res.status, error: res.body.error }).toEqual({
      route: `${method} ${rest}`,
      status,
      error,
    });
  }
  expect((await api.eventStore.readStream(streams.vps(vpsId))).length).toBe(before);

  // Resize: the new plan and price once the instance runs on the new type.
  const resized = await api.request('POST', path(vpsId, '/resize'), {
    token: owner.token,
    body: { planId: plans.big },
  });
  expect({ status: resized.status, body: resized.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'resize', planId: plans.big, hourlyPrice: '0.015068' } }, // 11.00 / 730
  });
  const afterResize = await finished(vpsId, resized.body.operation.id);
  expect(afterResize.body).toMatchObject({
    planId: plans.big,
    hourlyPrice: '0.015068',
    monthlyPrice: '11.000000',
    lastOperation: { kind: 'resize', outcome: 'completed' },
  });
  expect((await harness.instancesOf(vpsId))[0]).toMatchObject({ type: 'g6-standard-1', status: 'running' });
  const resizedAt = Date.parse(afterResize.body.lastOperation.finishedAt);

  // Billing: the period in progress at the resize keeps the old price, the next one costs the new.
  const charges = await eventually(
    async () => {
      const all = await periodCharges(vpsId);
      return all.some((c) => c.start >= resizedAt) ? all : undefined;
    },
    'a period starting after the resize charged',
    4 * PERIOD_SECONDS * 1000,
  );
  const newPrice = money('0.015068');
  for (const charge of charges.filter((c) => c.start >= resizedAt)) expect(charge.amount).toBe(newPrice);
  for (const charge of charges.filter((c) => c.start < resizedAt)) expect(charge.amount).toBe(oldHourly);

  // Backups: the plan's upcharge added to the server's price.
  const backups = await api.request('POST', path(vpsId, '/backups'), { token: owner.token });
  expect({ status: backups.status, body: backups.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'backups', backups: true, monthlyPrice: '13.000000' } },
  });
  const withBackups = await finished(vpsId, backups.body.operation.id);
  expect(withBackups.body).toMatchObject({ backups: true, monthlyPrice: '13.000000' });
  expect((await harness.instancesOf(vpsId))[0].backups.enabled).toBe(true);

  // Rebuild with the second key only: a password is generated for the provider, nobody is told it.
  const rebuilt = await api.request('POST', path(vpsId, '/rebuild'), {
    token: owner.token,
    body: { image: 'linode/debian11', sshKeyIds: [keyIds[1]] },
  });
  expect({ status: rebuilt.status, body: rebuilt.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'rebuild', image: 'linode/debian11' } },
  });
  expect(JSON.stringify(rebuilt.body)).not.toMatch(/encrypted|password/i);
  const afterRebuild = await finished(vpsId, rebuilt.body.operation.id);
  expect(afterRebuild.body).toMatchObject({ image: 'linode/debian11', sshKeyIds: [keyIds[1]] });
  expect((await harness.instancesOf(vpsId))[0]).toMatchObject({
    host_key_generation: 1,
    authorized_keys: [second.public],
  });

  // The rebuilt server shows a new host key: the console pins it instead of refusing it (4495).
  expect(await openConsole(vpsId)).toBe('ready');
  const consoleTypes = (await api.eventStore.readStream(streams.console(vpsId))).map((e) => e.type);
  expect(consoleTypes.filter((t) => t === 'ConsoleHostKeyPinned' || t === 'ConsoleHostKeyReset')).toEqual([
    'ConsoleHostKeyPinned',
    'ConsoleHostKeyReset',
    'ConsoleHostKeyPinned',
  ]);
  await login(ipv4, second.private);
  await expect(login(ipv4, first.private)).rejects.toThrow(/authentication/i);

  // Each request audited with the customer, each outcome with the system.
  const operations = (await api.eventStore.readStream(streams.vps(vpsId))).filter((e) =>
    e.type.startsWith('VpsOperation'),
  );
  expect(
    operations.map((e) => [
      e.type,
      (e.data as { operation: { kind: string } }).operation.kind,
      e.metadata.actor.userId,
    ]),
  ).toEqual([
    ['VpsOperationStarted', 'resize', owner.userId],
    ['VpsOperationCompleted', 'resize', 'system'],
    ['VpsOperationStarted', 'backups', owner.userId],
    ['VpsOperationCompleted', 'backups', 'system'],
    ['VpsOperationStarted', 'rebuild', owner.userId],
    ['VpsOperationCompleted', 'rebuild', 'system'],
  ]);
});
