import { createServer } from 'node:net';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { streams, walletDecider, WALLET_STREAM_POLICY } from '@stratus/domain';
import { SecretBox } from '@stratus/infra';
import { SAMPLE_SSH_KEYS } from '@stratus/domain/ssh-key/testing/ssh-key-samples';
import { startLinodeSimulator, type LinodeSimulator } from '@stratus/infra/linode-simulator';
import { createTemporalTestEnvironment } from '@stratus/infra/testing';
import { defaultPayloadConverter } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  billingWorkflowId,
  provisioningWorkflowId,
  TASK_QUEUE,
  WORKFLOW_TYPES,
  type ProvisioningWorkflowInput,
} from '@stratus/workflows';
import { createApiApp } from '../../app.factory';
import { CommandExecutor, type Position } from '@stratus/eventstore';
import { CommandContext } from '../../shared/request-context/command-context';
import { startTestApi, type HttpResult, type TestApi, signInAdmin } from '../../testing/api-test-app';
import { joinByInvitation } from '../organizations/testing/invitations.fixture';

jest.setTimeout(180_000);

const SECRET_KEY = SecretBox.generateKey();
const PASSWORD = 'Correct-Horse-42-Battery';

let temporal: TestWorkflowEnvironment;
let sim: LinodeSimulator;
let api: TestApi;
let adminToken: string;
let planId: string;
const calls = new Map<string, number>();

interface Customer {
  token: string;
  orgId: string;
  email: string;
}

let counter = 0;
async function customer(credit: string | null = '100.00'): Promise<Customer> {
  const email = `c${++counter}@example.com`;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email, password: 'a-long-password-1', name: `Customer ${counter}` },
  });
  expect({ status: reg.status, body: reg.body }).toMatchObject({ status: 201 });
  const orgId = reg.body.organization.id as string;
  if (credit) {
    const res = await api.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
      token: adminToken,
      body: { amount: credit, reason: 'test funds' },
    });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 201 });
  }
  return { token: reg.body.token, orgId, email };
}

const body = (overrides: Record<string, unknown> = {}) => ({
  label: 'web-1',
  planId,
  region: 'us-east',
  image: 'linode/debian12',
  rootPassword: PASSWORD,
  ...overrides,
});

function createVps(
  target: { request: TestApi['request'] },
  who: Customer,
  key: string | null,
  payload: unknown = body(),
): Promise<HttpResult> {
  return target.request('POST', `/api/organizations/${who.orgId}/vps`, {
    token: who.token,
    body: payload,
    headers: key === null ? {} : { 'Idempotency-Key': key },
  });
}

async function workflowInput(workflowId: string): Promise<ProvisioningWorkflowInput> {
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const payload = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
  return defaultPayloadConverter.fromPayload(payload);
}

async function signalNames(workflowId: string): Promise<string[]> {
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
    .filter((name): name is string => typeof name === 'string');
}

async function allEventsText(): Promise<string> {
  const rows = await api.orm.em.getConnection().execute('select * from eventstore.events');
  return JSON.stringify(rows);
}

beforeAll(async () => {
  [temporal, sim] = await Promise.all([
    createTemporalTestEnvironment(),
    startLinodeSimulator({
      port: 0,
      delays: { provisioningMs: 0, bootingMs: 0 },
      observe: (exchange) => {
        if (exchange.operation) calls.set(exchange.operation, (calls.get(exchange.operation) ?? 0) + 1);
      },
    }),
  ]);
  api = await startTestApi({
    configOverrides: {
      temporal: { address: temporal.address, namespace: temporal.namespace ?? 'default' },
      vps: {
        linode: { apiUrl: sim.url, token: 'simulator-token' },
        secretsEncryptionKey: SECRET_KEY,
        minBalanceHours: 24,
        billingPeriodSeconds: 60,
        suspendGraceSeconds: 120,
        provisioningRunningTimeoutSeconds: 30,
      },
    },
  });
  adminToken = (await signInAdmin(api)).token;
  const plan = await api.request('POST', '/api/admin/plans', {
    token: adminToken,
    body: {
      name: 'Nano',
      providerPlanId: 'g6-nanode-1',
      regions: ['us-east', 'eu-west'],
      baseMonthlyPrice: '5.00',
      markup: '1.00',
      backupUpcharge: '2.00',
      active: true,
    },
  });
  expect({ status: plan.status, body: plan.body }).toMatchObject({ status: 201 });
  planId = plan.body.id;
});

afterAll(async () => {
  await api?.close();
  await sim?.close();
  await temporal?.teardown();
});

describe('create a server', () => {
  test('202, VpsRequested with the password encrypted (nowhere in plain), workflow started with its input', async () => {
    const who = await customer();
    const key = await api.request('POST', `/api/organizations/${who.orgId}/ssh-keys`, {
      token: who.token,
      body: { name: 'Laptop', publicKey: SAMPLE_SSH_KEYS.ed25519.publicKey },
    });
    const keyId = key.body.key.id as string;
    const res = await createVps(api, who, 'create-1', body({ backups: true, sshKeyIds: [keyId] }));
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 202 });
    const id = res.body.id as string;
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      status: 'provisioning',
      workflowId: provisioningWorkflowId(id),
      hourlyPrice: '0.010959',
      monthlyPrice: '8.000000',
      position: expect.stringMatching(/^\d+\/\d+$/),
    });
    expect(res.text).not.toContain(PASSWORD);

    const events = await api.eventStore.readStream(streams.vps(id));
    expect(events.map((e) => e.type)).toEqual(['VpsRequested']);
    const data = events[0].data as Record<string, unknown>;
    expect(data).toMatchObject({
      vpsId: id,
      organizationId: who.orgId,
      label: 'web-1',
      planId,
      providerPlanId: 'g6-nanode-1',
      region: 'us-east',
      image: 'linode/debian12',
      backups: true,
      sshKeyIds: [keyId],
      // The key's public half, as the instance will be created with it.
      authorizedKeys: [SAMPLE_SSH_KEYS.ed25519.publicKey],
      hourlyPrice: '0.010959',
      monthlyPrice: '8.000000',
      workflowId: provisioningWorkflowId(id),
    });
    const box = new SecretBox(SECRET_KEY);
    expect(box.decrypt(data.encryptedRootPassword as string, id)).toBe(PASSWORD);
    expect(() => box.decrypt(data.encryptedRootPassword as string, 'another-vps')).toThrow();
    const stored = await allEventsText();
    expect(stored).toContain(data.encryptedRootPassword as string);
    expect(stored).not.toContain(PASSWORD);

    const description = await temporal.client.workflow.getHandle(provisioningWorkflowId(id)).describe();
    expect(description).toMatchObject({
      type: WORKFLOW_TYPES.provisioning,
      taskQueue: TASK_QUEUE,
      status: { name: 'RUNNING' },
    });
    expect(await workflowInput(provisioningWorkflowId(id))).toEqual({
      vpsId: id,
      organizationId: who.orgId,
      runningTimeoutSeconds: 30,
      billing: { periodSeconds: 60, graceSeconds: 120, suspendedDeleteAfterSeconds: 14 * 86_400 },
    });

    const detail = await api.request('GET', `/api/organizations/${who.orgId}/vps/${id}`, {
      token: who.token,
      headers: { 'X-Min-Position': res.body.position },
    });
    expect({ status: detail.status, body: detail.body }).toMatchObject({ status: 200 });
    expect(detail.body).toMatchObject({
      id,
      status: 'provisioning',
      planId,
      region: 'us-east',
      image: 'linode/debian12',
      ipv4: null,
      hourlyPrice: '0.010959',
      monthlyPrice: '8.000000',
      lastBilledAt: null,
      billedUntil: null,
      provisioning: { stage: null, error: null, workflowId: provisioningWorkflowId(id) },
    });
    expect(detail.text).not.toContain('encrypted');
    const list = await api.request('GET', `/api/organizations/${who.orgId}/vps?status=provisioning`, {
      token: who.token,
    });
    expect(list.body.map((v: { id: string }) => v.id)).toEqual([id]);
    const active = await api.request('GET', `/api/organizations/${who.orgId}/vps?status=active`, {
      token: who.token,
    });
    expect(active.body).toEqual([]);
    const badFilter = await api.request('GET', `/api/organizations/${who.orgId}/vps?status=nope`, {
      token: who.token,
    });
    expect({ status: badFilter.status, body: badFilter.body }).toMatchObject({ status: 400 });
  });

  test('the same key and body answer the same server without a second event; another body is a 422', async () => {
    const who = await customer();
    const first = await createVps(api, who, 'same-key');
    expect({ status: first.status, body: first.body }).toMatchObject({ status: 202 });
    const count = await api.eventCount();
    const again = await createVps(api, who, 'same-key');
    expect({ status: again.status, body: again.body }).toMatchObject({ status: 202 });
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const concurrent = await Promise.all([createVps(api, who, 'same-key'), createVps(api, who, 'same-key')]);
    expect(concurrent.map((r) => r.body.id)).toEqual([first.body.id, first.body.id]);
    expect(await api.eventCount()).toBe(count);

    const other = await createVps(api, who, 'same-key', body({ label: 'web-2' }));
    expect({ status: other.status, body: other.body }).toMatchObject({ status: 422 });
    expect(other.body.error).toBe('idempotency_key_reused');
    const otherPassword = await createVps(api, who, 'same-key', body({ rootPassword: 'Another-Pass-1234' }));
    expect({ status: otherPassword.status, body: otherPassword.body }).toMatchObject({ status: 422 });
    expect(await api.eventCount()).toBe(count);

    // The key is scoped to the organization: another organization's same key is another server.
    const stranger = await customer();
    const theirs = await createVps(api, stranger, 'same-key');
    expect({ status: theirs.status, body: theirs.body }).toMatchObject({ status: 202 });
    expect(theirs.body.id).not.toBe(first.body.id);
  });

  test('a balance below the first hour plus 24 hours is a 402 with the amounts, and records nothing', async () => {
    const poor = await customer('0.20');
    const broke = await customer(null);
    const count = await api.eventCount();
    const res = await createVps(api, poor, 'poor-1');
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 402 });
    // 25 hours × 0.008219
    expect(res.body).toMatchObject({
      error: 'insufficient_funds',
      details: { required: '0.205475', available: '0.200000' },
    });
    const none = await createVps(api, broke, 'poor-2');
    expect({ status: none.status, body: none.body }).toMatchObject({ status: 402 });
    expect(none.body.details).toMatchObject({ available: '0.000000' });
    expect(await api.eventCount()).toBe(count);
  });

  test('30 creates at once with funds for 2 servers: exactly 2 accepted, 28 answered 402 (issue 11, item 12)', async () => {
    // The guard: the first hour of the new server plus 24 hours of the burn of all the organization's
    // servers, the new one included. Two servers of 0.008219/h need 0.008219 + 24 × 2 × 0.008219 = 0.402731;
    // a third would need 0.008219 + 24 × 3 × 0.008219 = 0.599987.
    const who = await customer('0.402731');
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) => createVps(api, who, `abuse-${i}`, body({ label: `abuse-${i}` }))),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(2);
    const refused = answers.filter((res) => res.status === 402);
    expect(refused).toHaveLength(28);
    for (const res of refused) {
      expect(res.body).toMatchObject({
        error: 'insufficient_funds',
        details: { required: '0.599987', available: '0.402731', hourlyPrice: '0.008219' },
      });
      expect(res.body.message).toMatch(/all the organization's servers/);
    }
  });

  test('members without vps_create get 403; other organizations 404', async () => {
    const owner = await customer();
    const viewer = await customer(null);
    await joinByInvitation(api, owner.orgId, owner.token, viewer, 'viewer');
    const outsider = await customer(null);
    const count = await api.eventCount();
    const res = await createVps(api, { ...viewer, orgId: owner.orgId }, 'viewer-1');
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 403 });
    expect(res.body.details).toMatchObject({ permission: 'vps_create' });
    const stranger = await createVps(api, { ...viewer, orgId: outsider.orgId }, 'viewer-2');
    expect({ status: stranger.status, body: stranger.body }).toMatchObject({ status: 404 });
    expect(await api.eventCount()).toBe(count);
  });

  test('bad input is a 400 (or 422 for what the catalog does not offer) and appends nothing', async () => {
    const who = await customer();
    const inactive = await api.request('POST', '/api/admin/plans', {
      token: adminToken,
      body: {
        name: 'Old',
        providerPlanId: 'g6-nanode-1',
        regions: ['us-east'],
        baseMonthlyPrice: '5.00',
        markup: '0',
        backupUpcharge: '0',
        active: false,
      },
    });
    expect({ status: inactive.status, body: inactive.body }).toMatchObject({ status: 201 });
    const stranger = await customer(null);
    const strangersKey = await api.request('POST', `/api/organizations/${stranger.orgId}/ssh-keys`, {
      token: stranger.token,
      body: { name: 'Theirs', publicKey: SAMPLE_SSH_KEYS.ecdsa256.publicKey },
    });
    const count = await api.eventCount();
    const cases: [string | null, unknown, number, string][] = [
      [null, body(), 400, 'idempotency_key_required'],
      ['has space', body(), 400, 'invalid_idempotency_key'],
      ['x'.repeat(201), body(), 400, 'invalid_idempotency_key'],
      ['k1', body({ rootPassword: 'Short-1a' }), 400, 'weak_root_password'],
      ['k2', body({ rootPassword: 'alllowercaseletters' }), 400, 'weak_root_password'],
      ['k3', body({ rootPassword: `Aa1-${'x'.repeat(125)}` }), 400, 'weak_root_password'],
      ['k4', body({ rootPassword: 'Pässwörd-1234-Ab' }), 400, 'weak_root_password'],
      ['k5', body({ label: 'a' }), 400, 'validation_failed'],
      ['k6', body({ label: 'bad label!' }), 400, 'validation_failed'],
      ['k7', body({ planId: 'not-a-uuid' }), 400, 'validation_failed'],
      ['k8', body({ region: 42 }), 400, 'validation_failed'],
      ['k9', body({ backups: 'yes' }), 400, 'validation_failed'],
      ['k10', body({ sshKeyIds: 'key' }), 400, 'validation_failed'],
      ['k11', body({ extra: 1 }), 400, 'validation_failed'],
      ['k12', { label: 'web-1' }, 400, 'validation_failed'],
      ['k13', body({ planId: '00000000-0000-4000-8000-000000000000' }), 422, 'plan_not_available'],
      ['k14', body({ planId: inactive.body.id }), 422, 'plan_not_available'],
      ['k15', body({ region: 'ap-south' }), 422, 'region_not_offered'],
      ['k16', body({ image: 'linode/windows95' }), 422, 'image_not_available'],
      ['k18', body({ sshKeyIds: ['00000000-0000-4000-8000-000000000000'] }), 422, 'ssh_key_not_found'],
      // Another organization's key is unknown here.
      ['k19', body({ sshKeyIds: [strangersKey.body.key.id] }), 422, 'ssh_key_not_found'],
    ];
    for (const [key, payload, status, error] of cases) {
      const res = await createVps(api, who, key, payload);
      expect({ key, status: res.status, error: res.body?.error }).toEqual({ key, status, error });
      expect(res.text).not.toContain('Short-1a');
    }
    const malformed = await api.request('POST', `/api/organizations/${who.orgId}/vps`, {
      token: who.token,
      rawBody: '{"label":',
      headers: { 'Idempotency-Key': 'k17' },
    });
    expect({ status: malformed.status, body: malformed.body }).toMatchObject({ status: 400 });
    expect(await api.eventCount()).toBe(count);
  });
});

describe('Temporal unreachable', () => {
  test('503, the server is kept, and a retry with the same key starts the workflow', async () => {
    const port = await closedPort();
    const down: NestExpressApplication = await createApiApp(
      {
        ...api.config,
        temporal: { address: `127.0.0.1:${port}`, namespace: 'default' },
      },
      { logger: false, seedAdmin: false },
    );
    await down.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(down.getHttpServer().address() as { port: number }).port}`;
      const downApi = { request: requestOn(url) };
      const who = await customer();
      const res = await createVps(downApi, who, 'temporal-down');
      expect({ status: res.status, body: res.body }).toMatchObject({ status: 503 });
      expect(res.body).toMatchObject({ error: 'workflow_engine_unavailable' });
      const vpsId = res.body.details.vpsId as string;
      expect((await api.eventStore.readStream(streams.vps(vpsId))).map((e) => e.type)).toEqual([
        'VpsRequested',
      ]);
      await expect(
        temporal.client.workflow.getHandle(provisioningWorkflowId(vpsId)).describe(),
      ).rejects.toThrow();

      const retry = await createVps(api, who, 'temporal-down');
      expect({ status: retry.status, body: retry.body }).toMatchObject({ status: 202 });
      expect(retry.body.id).toBe(vpsId);
      const description = await temporal.client.workflow.getHandle(provisioningWorkflowId(vpsId)).describe();
      expect(description.status.name).toBe('RUNNING');
      expect((await api.eventStore.readStream(streams.vps(vpsId))).length).toBe(1);

      // Deleting a server whose workflow never started: signal-with-start, so the workflow exists to abort it.
      const orphan = await createVps(downApi, who, 'temporal-down-2');
      expect(orphan.status).toBe(503);
      const orphanId = orphan.body.details.vpsId as string;
      const deleted = await api.request('DELETE', `/api/organizations/${who.orgId}/vps/${orphanId}`, {
        token: who.token,
      });
      expect({ status: deleted.status, body: deleted.body }).toMatchObject({ status: 202 });
      expect(await signalNames(provisioningWorkflowId(orphanId))).toEqual(['abortProvisioning']);
      expect(await workflowInput(provisioningWorkflowId(orphanId))).toMatchObject({ vpsId: orphanId });
      // A retried create with that key starts nothing new: the server is being deleted.
      const again = await createVps(api, who, 'temporal-down-2');
      expect({ status: again.status, body: again.body }).toMatchObject({
        status: 202,
        body: { id: orphanId },
      });
    } finally {
      await down.close();
    }
  });
});

describe('one server, other organizations, actions, deletion, billing', () => {
  test('another organization gets 404 for get, actions, delete and billing', async () => {
    const owner = await customer();
    const created = await createVps(api, owner, 'tenant-1');
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 202 });
    const other = await customer();
    const id = created.body.id as string;
    const base = `/api/organizations/${other.orgId}/vps/${id}`;
    const count = await api.eventCount();
    for (const [method, path, payload] of [
      ['GET', base, undefined],
      ['GET', `${base}/billing`, undefined],
      ['POST', `${base}/actions`, { action: 'reboot' }],
      ['DELETE', base, undefined],
      ['PATCH', base, { label: 'mine-now' }],
      ['PUT', `${base}/reverse-dns`, { ipv4: '203.0.113.9', hostname: 'mail.example.com' }],
      ['GET', `/api/organizations/${other.orgId}/vps/not-a-uuid`, undefined],
      ['PATCH', `/api/organizations/${other.orgId}/vps/not-a-uuid`, { label: 'web-2' }],
    ] as const) {
      const res = await api.request(method, path, { token: other.token, body: payload });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    expect(await api.eventCount()).toBe(count);
  });

  test('power actions reach the provider; provider errors are 503; delete signals the billing workflow', async () => {
    const who = await customer();
    const created = await createVps(api, who, 'active-1');
    const id = created.body.id as string;
    // Stand in for the provisioning workflow: an instance at the provider and the events it would record.
    const instance = sim.state.create(
      {
        label: `stratus-${id.slice(0, 8)}`,
        region: 'us-east',
        type: 'g6-nanode-1',
        image: 'linode/debian12',
        rootPass: PASSWORD,
        tags: ['stratus', `vps:${id}`],
        booted: true,
      },
      false,
    )!;
    const instanceId = String(instance.linode.id);
    await api.eventStore.appendToStream(
      streams.vps(id),
      [
        fakeEvent('VpsInstanceCreated', { vpsId: id, providerInstanceId: instanceId }),
        fakeEvent('VpsActivated', {
          vpsId: id,
          providerInstanceId: instanceId,
          ipv4: '203.0.113.9',
          billingWorkflowId: billingWorkflowId(id),
          billedUntil: '2026-01-01T01:00:00.000Z',
        }),
      ],
      { expectedRevision: 0n },
    );

    const rebootsBefore = calls.get('reboot') ?? 0;
    const reboot = await api.request('POST', `/api/organizations/${who.orgId}/vps/${id}/actions`, {
      token: who.token,
      body: { action: 'reboot' },
    });
    expect({ status: reboot.status, body: reboot.body }).toMatchObject({ status: 202 });
    expect(reboot.body).toMatchObject({ id, action: 'reboot' });
    expect(calls.get('reboot')).toBe(rebootsBefore + 1);
    expect((await api.eventStore.readStream(streams.vps(id))).map((e) => e.type)).toContain(
      'VpsPowerActionRequested',
    );

    sim.state.addFault({ operation: 'reboot', mode: 'error' });
    const failing = await api.request('POST', `/api/organizations/${who.orgId}/vps/${id}/actions`, {
      token: who.token,
      body: { action: 'reboot' },
    });
    sim.state.clearFaults();
    expect({ status: failing.status, body: failing.body }).toMatchObject({ status: 503 });
    expect(failing.body.error).toBe('provider_unavailable');
    // The failed provider call is on the server's stream, after its request.
    const afterFailure = await api.eventStore.readStream(streams.vps(id));
    expect(afterFailure.slice(-2).map((e) => ({ type: e.type, data: e.data }))).toEqual([
      { type: 'VpsPowerActionRequested', data: { vpsId: id, action: 'reboot' } },
      { type: 'VpsPowerActionFailed', data: { vpsId: id, action: 'reboot', reason: expect.any(String) } },
    ]);
    expect(afterFailure.at(-1)?.metadata.actor).toEqual(afterFailure.at(-2)?.metadata.actor);

    // The provider no longer knows the instance (deleted behind our back): its refusal is a 502, not a 500.
    sim.state.delete(instance);
    const gone = await api.request('POST', `/api/organizations/${who.orgId}/vps/${id}/actions`, {
      token: who.token,
      body: { action: 'shutdown' },
    });
    expect({ status: gone.status, body: gone.body }).toMatchObject({
      status: 502,
      body: { error: 'provider_error', details: { kind: 'not_found' } },
    });
    expect((await api.eventStore.readStream(streams.vps(id))).at(-1)?.data).toEqual({
      vpsId: id,
      action: 'shutdown',
      reason: expect.any(String),
    });

    const badAction = await api.request('POST', `/api/organizations/${who.orgId}/vps/${id}/actions`, {
      token: who.token,
      body: { action: 'explode' },
    });
    expect({ status: badAction.status, body: badAction.body }).toMatchObject({ status: 400 });

    // The billing workflow the provisioning workflow would have started (no worker: it just waits).
    await temporal.client.workflow.start(WORKFLOW_TYPES.billing, {
      workflowId: billingWorkflowId(id),
      taskQueue: TASK_QUEUE,
      args: [{ vpsId: id }],
    });
    const deleted = await api.request('DELETE', `/api/organizations/${who.orgId}/vps/${id}`, {
      token: who.token,
    });
    expect({ status: deleted.status, body: deleted.body }).toMatchObject({ status: 202 });
    expect(deleted.body).toMatchObject({ id, status: 'deleting' });
    expect(await signalNames(billingWorkflowId(id))).toEqual(['deleteServer']);
    const detail = await api.request('GET', `/api/organizations/${who.orgId}/vps/${id}`, {
      token: who.token,
      headers: { 'X-Min-Position': deleted.body.position },
    });
    expect(detail.body).toMatchObject({ status: 'deleting', ipv4: '203.0.113.9' });
  });

  test('operations: 202 with the operation and its workflow, shown on the server; one at a time; active servers only', async () => {
    const who = await customer();
    const created = await createVps(api, who, 'operations-1');
    const id = created.body.id as string;
    const base = `/api/organizations/${who.orgId}/vps/${id}`;
    // Still provisioning: no operation yet.
    const early = await api.request('PATCH', base, { token: who.token, body: { label: 'web-2' } });
    expect({ status: early.status, error: early.body.error }).toEqual({
      status: 409,
      error: 'vps_not_active',
    });

    await api.eventStore.appendToStream(
      streams.vps(id),
      [
        fakeEvent('VpsInstanceCreated', { vpsId: id, providerInstanceId: '4242' }),
        fakeEvent('VpsActivated', {
          vpsId: id,
          providerInstanceId: '4242',
          ipv4: '203.0.113.44',
          billingWorkflowId: billingWorkflowId(id),
          billedUntil: '2026-01-01T01:00:00.000Z',
        }),
      ],
      { expectedRevision: 0n },
    );
    const count = await api.eventCount();
    for (const [method, path, payload, error] of [
      ['PATCH', base, { label: 'web--2' }, 'validation_failed'],
      ['PATCH', base, {}, 'validation_failed'],
      ['PUT', `${base}/reverse-dns`, { ipv4: '203.0.113.44', hostname: 'not a host' }, 'invalid_hostname'],
      [
        'PUT',
        `${base}/reverse-dns`,
        { ipv4: '203.0.113.45', hostname: 'mail.example.com' },
        'not_server_address',
      ],
      ['PUT', `${base}/reverse-dns`, { ipv4: '203.0.113.44' }, 'validation_failed'],
    ] as const) {
      const res = await api.request(method, path, { token: who.token, body: payload });
      expect({ payload, status: res.status, error: res.body.error }).toEqual({ payload, status: 400, error });
    }
    expect(await api.eventCount()).toBe(count);

    // No worker runs in this suite: the rename stays in progress.
    const renamed = await api.request('PATCH', base, { token: who.token, body: { label: 'web-2' } });
    expect({ status: renamed.status, body: renamed.body }).toMatchObject({ status: 202 });
    const operationId = renamed.body.operation.id as string;
    expect(renamed.body).toEqual({
      operation: {
        id: operationId,
        kind: 'rename',
        workflowId: `vps-rename-${operationId}`,
        requestedAt: expect.any(String),
        label: 'web-2',
        ipv4: null,
        hostname: null,
        // What the other kinds ask (rebuild, resize, backups, restore, firewall).
        image: null,
        planId: null,
        backups: null,
        hourlyPrice: null,
        monthlyPrice: null,
        backupId: null,
        firewall: null,
      },
      workflowId: `vps-rename-${operationId}`,
      position: expect.stringMatching(/^\d+\/\d+$/),
    });
    const description = await temporal.client.workflow.getHandle(renamed.body.workflowId).describe();
    expect(description).toMatchObject({ type: WORKFLOW_TYPES.renameServer, taskQueue: TASK_QUEUE });
    const history = await temporal.client.workflow.getHandle(renamed.body.workflowId).fetchHistory();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    expect(defaultPayloadConverter.fromPayload(input)).toEqual({
      vpsId: id,
      organizationId: who.orgId,
      operationId,
    });

    const detail = await api.request('GET', base, {
      token: who.token,
      headers: { 'X-Min-Position': renamed.body.position },
    });
    expect(detail.body).toMatchObject({
      label: 'web-1',
      operation: { id: operationId, kind: 'rename', label: 'web-2' },
      lastOperation: null,
      reverseDns: null,
    });

    // Another operation meanwhile: 409 naming the one in progress; the same rename again: the same operation.
    const dns = await api.request('PUT', `${base}/reverse-dns`, {
      token: who.token,
      body: { ipv4: '203.0.113.44', hostname: 'mail.example.com' },
    });
    expect({ status: dns.status, body: dns.body }).toMatchObject({
      status: 409,
      body: { error: 'operation_in_progress', details: { operationId, operation: 'rename' } },
    });
    const otherRename = await api.request('PATCH', base, { token: who.token, body: { label: 'web-3' } });
    expect(otherRename.status).toBe(409);
    const again = await api.request('PATCH', base, { token: who.token, body: { label: 'web-2' } });
    expect({ status: again.status, id: again.body.operation?.id }).toEqual({ status: 202, id: operationId });
    const started = (await api.eventStore.readStream(streams.vps(id))).filter(
      (e) => e.type === 'VpsOperationStarted',
    );
    expect(started).toHaveLength(1);
    expect(started[0].metadata.actor).toMatchObject({ role: 'customer' });
  });

  test('deleting a server still provisioning signals the provisioning workflow to abort', async () => {
    const who = await customer();
    const created = await createVps(api, who, 'abort-1');
    const id = created.body.id as string;
    const notYet = await api.request('POST', `/api/organizations/${who.orgId}/vps/${id}/actions`, {
      token: who.token,
      body: { action: 'boot' },
    });
    expect({ status: notYet.status, body: notYet.body }).toMatchObject({ status: 409 });
    const res = await api.request('DELETE', `/api/organizations/${who.orgId}/vps/${id}`, {
      token: who.token,
    });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 202 });
    expect(await signalNames(provisioningWorkflowId(id))).toEqual(['abortProvisioning']);
    expect((await api.eventStore.readStream(streams.vps(id))).map((e) => e.type)).toEqual([
      'VpsRequested',
      'VpsDeletionRequested',
    ]);
  });

  test('billing lists the server’s charges from the ledger (needs billing_view)', async () => {
    const who = await customer();
    const created = await createVps(api, who, 'billing-1');
    const id = created.body.id as string;
    const executor = api.app.get(CommandExecutor);
    const charge = (chargeId: string) =>
      executor.execute({
        streamId: streams.wallet(who.orgId),
        decider: walletDecider,
        context: CommandContext.system('test'),
        policy: WALLET_STREAM_POLICY,
        command: (_s, metadata) => ({
          type: 'ChargeWallet' as const,
          data: { chargeId, amount: 8219n, description: 'VPS hour' },
          metadata,
        }),
      });
    await charge(`vps-${id}:2026-01-01T00:00:00.000Z`);
    await charge(`vps-${id}:2026-01-01T01:00:00.000Z`);
    const unrelated = await charge('vps-00000000-0000-4000-8000-000000000000:2026-01-01T00:00:00.000Z');

    const res = await api.request('GET', `/api/organizations/${who.orgId}/vps/${id}/billing`, {
      token: who.token,
      headers: { 'X-Min-Position': `${unrelated.position!.commit}/${unrelated.position!.prepare}` },
    });
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 200 });
    expect(res.body).toMatchObject({ vpsId: id, hourlyPrice: '0.008219', totalCharged: '0.016438' });
    expect(res.body.charges.map((c: { chargeId: string }) => c.chargeId)).toEqual([
      `vps-${id}:2026-01-01T01:00:00.000Z`,
      `vps-${id}:2026-01-01T00:00:00.000Z`,
    ]);
    expect(res.body.charges[0]).toMatchObject({ type: 'WalletCharged', amount: '-0.008219' });

    const viewer = await customer(null);
    await joinByInvitation(api, who.orgId, who.token, viewer, 'viewer');
    const forbidden = await api.request('GET', `/api/organizations/${who.orgId}/vps/${id}/billing`, {
      token: viewer.token,
    });
    expect({ status: forbidden.status, body: forbidden.body }).toMatchObject({ status: 403 });
    const allowed = await api.request('GET', `/api/organizations/${who.orgId}/vps/${id}`, {
      token: viewer.token,
    });
    expect({ status: allowed.status, body: allowed.body }).toMatchObject({ status: 200 });
  });

  test('billing pages the charges by cursor; the total covers every page', async () => {
    const who = await customer();
    const created = await createVps(api, who, 'billing-pages');
    const id = created.body.id as string;
    const executor = api.app.get(CommandExecutor);
    let last: Position | undefined;
    for (const hour of ['00', '01', '02']) {
      const charged = await executor.execute({
        streamId: streams.wallet(who.orgId),
        decider: walletDecider,
        context: CommandContext.system('test'),
        policy: WALLET_STREAM_POLICY,
        command: (_s, metadata) => ({
          type: 'ChargeWallet' as const,
          data: {
            chargeId: `vps-${id}:2026-01-01T${hour}:00:00.000Z`,
            amount: 1000n,
            description: 'VPS hour',
          },
          metadata,
        }),
      });
      last = charged.position!;
    }
    const billing = (query: string, token = who.token) =>
      api.request('GET', `/api/organizations/${who.orgId}/vps/${id}/billing${query}`, {
        token,
        headers: { 'X-Min-Position': `${last!.commit}/${last!.prepare}` },
      });
    const hours = (res: HttpResult) =>
      (res.body.charges as { chargeId: string }[]).map((c) => c.chargeId.slice(-13, -11));

    const first = await billing('?limit=2');
    expect({ status: first.status, body: first.body }).toMatchObject({
      status: 200,
      body: { totalCharged: '0.003000', nextCursor: expect.any(String) },
    });
    expect(hours(first)).toEqual(['02', '01']);
    const second = await billing(`?limit=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`);
    expect({ status: second.status, body: second.body }).toMatchObject({
      status: 200,
      body: { totalCharged: '0.003000', nextCursor: null },
    });
    expect(hours(second)).toEqual(['00']);
    expect(hours(await billing(''))).toEqual(['02', '01', '00']);

    for (const bad of ['?limit=0', '?limit=101', '?limit=two', '?cursor=not-a-cursor', '?cursor=%25%25']) {
      const refused = await billing(bad);
      expect({ bad, status: refused.status, error: refused.body.error }).toEqual({
        bad,
        status: 400,
        error: expect.stringMatching(/^(validation_failed|invalid_cursor)$/),
      });
    }
    // Another organization's member with a valid cursor: the server does not exist for them.
    const other = await customer(null);
    const stranger = await billing(
      `?cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
      other.token,
    );
    expect(stranger.status).toBe(404);
    expect(JSON.stringify(stranger.body)).not.toContain(id);
  });
});

function fakeEvent(type: string, data: object) {
  return {
    id: crypto.randomUUID(),
    type,
    data,
    metadata: {
      correlationId: 'test',
      causationId: 'test',
      actor: { userId: 'workflow', role: 'system' },
      occurredAt: new Date().toISOString(),
      schemaVersion: 1,
    },
  };
}

function requestOn(url: string): TestApi['request'] {
  return async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${url}${path}`, {
      method,
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
      text,
    };
  };
}

/** A port nothing listens on (bound, then released). */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
