/**
 * A server's life past provisioning, whole: the API (projections running) and a Temporal worker in this process
 * share one database; the Linode simulator's servers answer SSH. A key is added, a server created with it is
 * provisioned and logged into over SSH with the private key, then renamed and given a reverse DNS through their
 * workflows, at the provider too.
 */
import { Client } from 'ssh2';
import { utils } from 'ssh2';
import { streams, vpsInstanceLabel } from '@stratus/domain';
import { TASK_QUEUE } from '@stratus/workflows';
import {
  eventually,
  TemporalHarness,
  TEST_KEY,
} from '../../../../workers/src/temporal/testing/temporal-harness';
import { signInAdmin, startTestApi, type HttpResult, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(240_000);

const harness = new TemporalHarness({ simulatorSsh: true });
let api: TestApi;
let owner: { token: string; orgId: string; userId: string };
let planId: string;

beforeAll(async () => {
  await harness.setUp();
  // The API starts workflows on the production task queue: the harness's worker polls that one.
  harness.taskQueue = TASK_QUEUE;
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
      vps: {
        linode: { apiUrl: harness.simulator.url, token: 'simulator-token' },
        // The worker decrypts the root password the API encrypted.
        secretsEncryptionKey: TEST_KEY,
        minBalanceHours: 1,
        billingPeriodSeconds: 3600,
        suspendGraceSeconds: 3600,
        provisioningRunningTimeoutSeconds: 30,
      },
    },
  });
  await harness.startWorker();
  const admin = (await signInAdmin(api)).token;
  const plan = await api.request('POST', '/api/admin/plans', {
    token: admin,
    body: {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east'],
      baseMonthlyPrice: '5.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    },
  });
  expect(plan.status).toBe(201);
  planId = plan.body.id;
  const registered = await api.request('POST', '/api/auth/register', {
    body: { email: 'operator@example.com', password: 'a-long-password-1', name: 'Operator' },
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

function login(host: string, port: number, privateKey: string): Promise<void> {
  return new Promise((resolveLogin, rejectLogin) => {
    const client = new Client();
    client
      .on('ready', () => {
        client.end();
        resolveLogin();
      })
      .on('error', rejectLogin)
      .connect({ host, port, username: 'root', privateKey, readyTimeout: 20_000 });
  });
}

const server = (vpsId: string, position?: string) =>
  api.request('GET', `/api/organizations/${owner.orgId}/vps/${vpsId}`, {
    token: owner.token,
    headers: position ? { 'X-Min-Position': position } : {},
  });

/** The server's detail once `check` holds (the operation's end reaches the read model). */
const serverWhen = (vpsId: string, what: string, check: (res: HttpResult) => boolean) =>
  eventually(async () => {
    const res = await server(vpsId);
    return check(res) ? res : undefined;
  }, what);

test('a key added, a server created with it and logged into with it, renamed, given a reverse DNS', async () => {
  const pair = utils.generateKeyPairSync('ed25519');
  const key = await api.request('POST', `/api/organizations/${owner.orgId}/ssh-keys`, {
    token: owner.token,
    body: { name: 'Laptop', publicKey: `${pair.public} operator@laptop` },
  });
  expect({ status: key.status, body: key.body }).toMatchObject({ status: 201 });

  const created = await api.request('POST', `/api/organizations/${owner.orgId}/vps`, {
    token: owner.token,
    headers: { 'Idempotency-Key': 'life-1' },
    body: {
      label: 'web-1',
      planId,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Correct-Horse-42-Battery',
      sshKeyIds: [key.body.key.id],
    },
  });
  expect({ status: created.status, body: created.body }).toMatchObject({ status: 202 });
  const vpsId = created.body.id as string;
  const active = await serverWhen(vpsId, 'the server active', (res) => res.body.status === 'active');
  const ipv4 = active.body.ipv4 as string;
  const [instance] = await harness.instancesOf(vpsId);
  expect(instance).toMatchObject({
    label: vpsInstanceLabel(vpsId, 'web-1'),
    authorized_keys: [`${pair.public} operator@laptop`],
  });

  // Root logs in with the key: no password involved.
  await login(ipv4, harness.simulator.ssh!.port, pair.private);
  await expect(
    login(ipv4, harness.simulator.ssh!.port, utils.generateKeyPairSync('ed25519').private),
  ).rejects.toThrow(/authentication/i);

  // Rename, held at the provider (its requests time out and are retried) until the fault is cleared: meanwhile the
  // server shows the rename in progress and another operation is refused.
  await harness.fault({ operation: 'updateInstance', mode: 'timeout' });
  const renamed = await api.request('PATCH', `/api/organizations/${owner.orgId}/vps/${vpsId}`, {
    token: owner.token,
    body: { label: 'web-2' },
  });
  expect({ status: renamed.status, body: renamed.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'rename', label: 'web-2' } },
  });
  const inProgress = await server(vpsId, renamed.body.position);
  expect(inProgress.body).toMatchObject({ label: 'web-1', operation: { id: renamed.body.operation.id } });
  const refused = await api.request('PUT', `/api/organizations/${owner.orgId}/vps/${vpsId}/reverse-dns`, {
    token: owner.token,
    body: { ipv4, hostname: 'web.example.com' },
  });
  expect({ status: refused.status, error: refused.body.error }).toEqual({
    status: 409,
    error: 'operation_in_progress',
  });
  await harness.clearFaults();
  const afterRename = await serverWhen(vpsId, 'the rename', (res) => res.body.operation === null);
  expect(afterRename.body).toMatchObject({
    label: 'web-2',
    lastOperation: { id: renamed.body.operation.id, kind: 'rename', outcome: 'completed', reason: null },
  });
  expect((await harness.instancesOf(vpsId))[0].label).toBe(vpsInstanceLabel(vpsId, 'web-2'));

  // Reverse DNS, at the provider too.
  const dns = await api.request('PUT', `/api/organizations/${owner.orgId}/vps/${vpsId}/reverse-dns`, {
    token: owner.token,
    body: { ipv4, hostname: 'Web.Example.com' },
  });
  expect({ status: dns.status, body: dns.body }).toMatchObject({
    status: 202,
    body: { operation: { kind: 'reverse_dns', ipv4, hostname: 'web.example.com' } },
  });
  const afterDns = await serverWhen(vpsId, 'the reverse DNS', (res) => res.body.reverseDns !== null);
  expect(afterDns.body).toMatchObject({ reverseDns: 'web.example.com', operation: null });
  expect((await harness.instancesOf(vpsId))[0].rdns[ipv4]).toBe('web.example.com');

  // A name the provider refuses (its forward DNS cannot point here): the operation fails with the provider's reason
  // and the reverse DNS stays what it was.
  const unresolvable = await api.request(
    'PUT',
    `/api/organizations/${owner.orgId}/vps/${vpsId}/reverse-dns`,
    {
      token: owner.token,
      body: { ipv4, hostname: 'web.example.invalid' },
    },
  );
  expect(unresolvable.status).toBe(202);
  const failed = await serverWhen(
    vpsId,
    'the refused reverse DNS',
    (res) => res.body.lastOperation?.id === unresolvable.body.operation.id,
  );
  expect(failed.body).toMatchObject({
    reverseDns: 'web.example.com',
    operation: null,
    lastOperation: { outcome: 'failed', reason: expect.stringMatching(/forward DNS/) },
  });

  // The audit trail names the customer for each request and the system for each outcome.
  const events = await api.eventStore.readStream(streams.vps(vpsId));
  const operations = events.filter((e) => e.type.startsWith('VpsOperation'));
  expect(operations.map((e) => [e.type, e.metadata.actor.userId])).toEqual([
    ['VpsOperationStarted', owner.userId],
    ['VpsOperationCompleted', 'system'],
    ['VpsOperationStarted', owner.userId],
    ['VpsOperationCompleted', 'system'],
    ['VpsOperationStarted', owner.userId],
    ['VpsOperationFailed', 'system'],
  ]);
});
