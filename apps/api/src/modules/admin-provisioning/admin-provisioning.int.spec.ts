import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  formatMoney,
  money,
  streams,
  vpsChargeId,
  walletBalanceOf,
  walletDecider,
  type WalletEvent,
} from '@stratus/domain';
import { CommandExecutor, type RecordedEvent } from '@stratus/eventstore';
import { provisioningWorkflowId, TASK_QUEUE } from '@stratus/workflows';
import {
  eventually,
  TemporalHarness,
  TEST_KEY,
} from '../../../../workers/src/temporal/testing/temporal-harness';
import { startTestApi, type HttpResult, type TestApi, signInAdmin } from '../../testing/api-test-app';

jest.setTimeout(240_000);

// API + a real worker (in this process) + the Linode simulator + a Temporal dev server + PostgreSQL: the API and
// the worker share the harness's database, as the API and worker processes share one in production.
const harness = new TemporalHarness();
const UI = 'http://temporal-ui.test:8233';
const USER_AGENT = 'stratus-ops-test/1.0';
const CREDIT = '10.00';
const OTHER_ORG = '00000000-0000-4000-8000-000000000000';
let api: TestApi;
let adminToken: string;
let adminId: string;
let customer: { token: string; orgId: string };
let planId: string;

const admin = (method: string, path: string, body?: unknown, requestId?: string): Promise<HttpResult> =>
  api.request(method, path, {
    token: adminToken,
    ...(body === undefined ? {} : { body }),
    headers: { 'user-agent': USER_AGENT, ...(requestId ? { 'X-Request-Id': requestId } : {}) },
  });

const expectStatus = (res: HttpResult, status: number) =>
  expect({ status: res.status, body: res.body }).toMatchObject({ status });

let servers = 0;
async function createVps(): Promise<string> {
  servers += 1;
  const res = await api.request('POST', `/api/organizations/${customer.orgId}/vps`, {
    token: customer.token,
    headers: { 'Idempotency-Key': `ops-${servers}` },
    body: {
      label: `ops-${servers}`,
      planId,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Correct-Horse-42-Battery',
    },
  });
  expectStatus(res, 202);
  return res.body.id as string;
}

interface Listed {
  vpsId: string;
  organizationId: string;
  state: string;
  stage: string;
  attempt: number;
  lastError: string | null;
  ageSeconds: number;
  workflowId: string;
  runId: string;
  status: string;
  startTime: string;
  temporalUiUrl: string;
}

/** Polls the listing (visibility is eventually consistent) until `vpsIds` all appear in it. */
async function listedAs(state: string, vpsIds: string[]): Promise<Map<string, Listed>> {
  return eventually(
    async () => {
      const res = await admin(
        'GET',
        `/api/admin/provisioning?state=${state}&organizationId=${customer.orgId}`,
      );
      expectStatus(res, 200);
      const byId = new Map<string, Listed>((res.body.items as Listed[]).map((item) => [item.vpsId, item]));
      return vpsIds.every((id) => byId.has(id)) ? byId : undefined;
    },
    `${vpsIds.join(', ')} listed as ${state}`,
    90_000,
  );
}

async function vpsEvents(vpsId: string): Promise<RecordedEvent[]> {
  return api.eventStore.readStream(streams.vps(vpsId));
}

async function statusOf(vpsId: string): Promise<string> {
  return (await harness.vpsState(vpsId)).status;
}

async function walletEvents(): Promise<(WalletEvent & RecordedEvent)[]> {
  return (await api.eventStore.readStream(streams.wallet(customer.orgId))) as (WalletEvent & RecordedEvent)[];
}

async function firstHourCharge(vpsId: string): Promise<{ chargeId: string; amount: bigint }> {
  const charge = (await walletEvents()).find(
    (e) => e.type === 'WalletCharged' && e.data.chargeId.startsWith(`vps-${vpsId}:`),
  );
  if (!charge || charge.type !== 'WalletCharged') throw new Error(`no first-hour charge for ${vpsId}`);
  return { chargeId: charge.data.chargeId, amount: money(charge.data.amount) };
}

const liveInstancesOf = async (vpsId: string) => (await harness.instancesOf(vpsId)).filter((i) => !i.deleted);

function expectAudited(event: RecordedEvent | undefined, requestId: string) {
  expect(event?.metadata).toMatchObject({
    correlationId: requestId,
    actor: { userId: adminId, role: 'admin', userAgent: USER_AGENT, ip: expect.any(String) },
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  await harness.setUp();
  // The API starts workflows on the production task queue: the harness's worker polls that one.
  harness.taskQueue = TASK_QUEUE;
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
      temporalUiUrl: `${UI}/`,
      vps: {
        linode: { apiUrl: harness.simulator.url, token: 'simulator-token' },
        secretsEncryptionKey: TEST_KEY,
        minBalanceHours: 1,
        billingPeriodSeconds: 3600,
        suspendGraceSeconds: 3600,
        // Small: a held instance makes the server stuck within seconds.
        provisioningRunningTimeoutSeconds: 2,
      },
    },
  });
  await harness.startWorker();
  const staff = await signInAdmin(api);
  adminToken = staff.token;
  adminId = staff.user.id;
  const plan = await admin('POST', '/api/admin/plans', {
    name: 'Nano',
    providerPlanId: 'g6-nanode-1',
    regions: ['us-east'],
    baseMonthlyPrice: '5.00',
    markup: '1.00',
    backupUpcharge: '2.00',
    active: true,
  });
  expectStatus(plan, 201);
  planId = plan.body.id;
  const reg = await api.request('POST', '/api/auth/register', {
    body: { email: 'ops-customer@example.com', password: 'a-long-password-1', name: 'Ops Customer' },
  });
  expectStatus(reg, 201);
  customer = { token: reg.body.token, orgId: reg.body.organization.id };
  expectStatus(
    await admin('POST', `/api/admin/organizations/${customer.orgId}/wallet/credits`, {
      amount: CREDIT,
      reason: 'test funds',
    }),
    201,
  );
});

afterAll(async () => {
  await api?.close();
  await harness.tearDown();
});

describe('operating stuck provisioning', () => {
  let first: string;
  let second: string;
  let refundedByStaff = 0n;
  let chargedBySeed = 0n;

  test('held instances: both servers are listed as stuck with stage, attempt, last error and a Web UI link', async () => {
    await harness.fault({ operation: 'createInstance', mode: 'stuck' });
    first = await createVps();
    second = await createVps();
    const listed = await listedAs('stuck', [first, second]);
    for (const id of [first, second]) {
      const item = listed.get(id)!;
      expect(item).toMatchObject({
        vpsId: id,
        organizationId: customer.orgId,
        state: 'stuck',
        stage: 'waiting_for_running',
        attempt: 1,
        lastError: expect.stringContaining('did not report running within 2s'),
        workflowId: provisioningWorkflowId(id),
        runId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'RUNNING',
        ageSeconds: expect.any(Number),
      });
      expect(item.temporalUiUrl).toBe(
        `${UI}/namespaces/${harness.env.namespace ?? 'default'}/workflows/${provisioningWorkflowId(id)}/${item.runId}/history`,
      );
      expect(item.ageSeconds).toBeGreaterThanOrEqual(0);
      expect(Date.parse(item.startTime)).not.toBeNaN();
      // The workflow publishes the search attributes just before it records VpsProvisioningStuck.
      await eventually(async () => (await statusOf(id)) === 'stuck', `${id} recorded stuck`);
    }

    // Another organization's filter shows none of them; pages of one follow the server's page token.
    const other = await admin('GET', `/api/admin/provisioning?organizationId=${OTHER_ORG}`);
    expectStatus(other, 200);
    expect(other.body.items).toEqual([]);
    const page1 = await admin('GET', `/api/admin/provisioning?state=stuck&limit=1`);
    expectStatus(page1, 200);
    expect(page1.body.items).toHaveLength(1);
    expect(page1.body.nextPageToken).toEqual(expect.any(String));
    const page2 = await admin(
      'GET',
      `/api/admin/provisioning?state=stuck&limit=1&pageToken=${page1.body.nextPageToken as string}`,
    );
    expectStatus(page2, 200);
    expect([...page1.body.items, ...page2.body.items].map((i: Listed) => i.vpsId).sort()).toEqual(
      [first, second].sort(),
    );
  });

  test('bad listing parameters are 400', async () => {
    for (const query of ['state=bogus', 'limit=0', 'limit=201', 'organizationId=nope', 'pageToken=%21%21']) {
      const res = await admin('GET', `/api/admin/provisioning?${query}`);
      expect({ query, status: res.status, error: typeof res.body.error }).toEqual({
        query,
        status: 400,
        error: 'string',
      });
    }
  });

  test('release the instance and retry the first: it becomes active; retrying it again is a 409', async () => {
    await harness.clearFaults();
    const [instance] = await liveInstancesOf(first);
    await harness.release(instance.id);
    const res = await admin(
      'POST',
      `/api/admin/provisioning/${first}/retry`,
      { reason: 'released by hand' },
      'req-retry-1',
    );
    expectStatus(res, 202);
    expect(res.body).toMatchObject({
      vpsId: first,
      action: 'retry',
      alreadyRequested: false,
      eventId: expect.any(String),
      workflowId: provisioningWorkflowId(first),
    });
    await eventually(async () => (await statusOf(first)) === 'active', 'the first server active', 60_000);

    const requested = (await vpsEvents(first)).find((e) => e.type === 'VpsProvisioningRetryRequested');
    expect(requested?.data).toEqual({ vpsId: first, reason: 'released by hand' });
    expect(requested?.id).toBe(res.body.eventId);
    expectAudited(requested, 'req-retry-1');
    expect((await vpsEvents(first)).map((e) => e.type)).toEqual(
      expect.arrayContaining(['VpsProvisioningRetried', 'VpsActivated']),
    );

    const again = await admin('POST', `/api/admin/provisioning/${first}/retry`, {});
    expectStatus(again, 409);
    expect(again.body).toMatchObject({ error: 'vps_not_stuck', details: { status: 'active' } });
    await listedAs('active', [first]);
  });

  test('abort the second: compensated to failed, first hour refunded, no instance left at the simulator', async () => {
    const charge = await firstHourCharge(second);
    const res = await admin(
      'POST',
      `/api/admin/provisioning/${second}/abort`,
      { reason: 'region is down' },
      'req-abort-2',
    );
    expectStatus(res, 202);
    expect(res.body).toMatchObject({ vpsId: second, action: 'abort', alreadyRequested: false });
    await eventually(async () => (await statusOf(second)) === 'failed', 'the second server failed', 60_000);

    const events = await vpsEvents(second);
    expectAudited(
      events.find((e) => e.type === 'VpsProvisioningAbortRequested'),
      'req-abort-2',
    );
    expect(events.find((e) => e.type === 'VpsProvisioningFailed')?.data).toMatchObject({
      reason: expect.stringContaining('aborted by operator: region is down'),
      instanceDeleted: true,
      refunded: true,
    });
    const refunds = (await walletEvents()).filter(
      (e) => e.type === 'WalletChargeRefunded' && e.data.chargeId === charge.chargeId,
    );
    expect(refunds.map((e) => e.type === 'WalletChargeRefunded' && money(e.data.amount))).toEqual([
      charge.amount,
    ]);
    expect(await liveInstancesOf(second)).toEqual([]);
    await listedAs('failed', [second]);

    // Aborting again (now failed) is a clear 409, and records nothing.
    const count = await api.eventCount();
    const again = await admin('POST', `/api/admin/provisioning/${second}/abort`, { reason: 'again' });
    expectStatus(again, 409);
    expect(again.body).toMatchObject({ error: 'vps_not_provisioning', details: { status: 'failed' } });
    expect(await api.eventCount()).toBe(count);
  });

  test('terminate a third stuck one: failed, refunded once, the instance left is reported', async () => {
    await harness.fault({ operation: 'createInstance', mode: 'stuck' });
    const third = await createVps();
    await listedAs('stuck', [third]);
    const charge = await firstHourCharge(third);
    const [instance] = await liveInstancesOf(third);

    const noReason = await admin('POST', `/api/admin/provisioning/${third}/terminate`, {});
    expectStatus(noReason, 400);
    expect(noReason.body).toMatchObject({
      error: expect.any(String),
      message: expect.stringContaining('reason'),
    });

    const res = await admin(
      'POST',
      `/api/admin/provisioning/${third}/terminate`,
      { reason: 'workflow wedged' },
      'req-terminate-3',
    );
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      vpsId: third,
      workflowTerminated: true,
      refunded: true,
      refundedNow: formatMoney(charge.amount),
      instancesLeft: [String(instance.id)],
      replayed: false,
    });
    expect(await statusOf(third)).toBe('failed');
    const terminated = (await vpsEvents(third)).find((e) => e.type === 'VpsProvisioningTerminated');
    expect(terminated?.data).toEqual({
      vpsId: third,
      reason: 'workflow wedged',
      refunded: true,
      instancesLeft: [String(instance.id)],
    });
    expectAudited(terminated, 'req-terminate-3');
    const description = await harness.env.client.workflow.getHandle(provisioningWorkflowId(third)).describe();
    expect(description.status.name).toBe('TERMINATED');

    // Repeating it answers with the recorded outcome and refunds nothing twice.
    const again = await admin('POST', `/api/admin/provisioning/${third}/terminate`, { reason: 'again' });
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ replayed: true, refundedNow: '0.000000', eventId: res.body.eventId });
    const refunds = (await walletEvents()).filter(
      (e) => e.type === 'WalletChargeRefunded' && e.data.chargeId === charge.chargeId,
    );
    expect(refunds).toHaveLength(1);
    expectAudited(refunds[0], 'req-terminate-3');

    const listed = await listedAs('failed', [third]);
    expect(listed.get(third)).toMatchObject({ state: 'failed', status: 'TERMINATED' });
    expectStatus(await admin('POST', `/api/admin/provisioning/${third}/retry`, {}), 409);
    await harness.clearFaults();
  });

  test('staff refund of a failed first hour: only failed servers, only an unrefunded charge, once', async () => {
    // A failed server whose first-hour charge committed but was never refunded (its activity failed after the
    // charge, then compensation thought nothing was charged): written as the workflow would have left it.
    const failedId = randomUUID();
    const requestedAt = new Date(Date.now() - 60_000).toISOString();
    const chargeId = vpsChargeId(failedId, requestedAt);
    const system = (type: string, data: object, occurredAt = new Date().toISOString()) => ({
      id: randomUUID(),
      type,
      data,
      metadata: {
        correlationId: 'seed',
        causationId: 'seed',
        actor: { userId: 'workflow', role: 'system' },
        occurredAt,
        schemaVersion: 1,
      },
    });
    await api.eventStore.appendToStream(
      streams.vps(failedId),
      [
        system(
          'VpsRequested',
          {
            vpsId: failedId,
            organizationId: customer.orgId,
            label: 'failed-1',
            planId,
            providerPlanId: 'g6-nanode-1',
            region: 'us-east',
            image: 'linode/debian12',
            backups: false,
            sshKeyIds: [],
            encryptedRootPassword: 'iv.tag.data',
            hourlyPrice: '0.010959',
            monthlyPrice: '8.000000',
            idempotencyKey: `seed-${failedId}`,
            workflowId: provisioningWorkflowId(failedId),
          },
          requestedAt,
        ),
        system('VpsProvisioningFailed', {
          vpsId: failedId,
          stage: 'charging_first_hour',
          reason: 'charge activity failed after its commit',
          instanceDeleted: true,
          refunded: false,
        }),
      ],
      { expectedRevision: 'no_stream' },
    );
    await new CommandExecutor({ eventStore: api.eventStore }).execute({
      streamId: streams.wallet(customer.orgId),
      decider: walletDecider,
      context: { correlationId: 'seed', causationId: 'seed', actor: { userId: 'workflow', role: 'system' } },
      idempotencyKey: `seed-charge-${failedId}`,
      command: (_state, metadata) => ({
        type: 'ChargeWallet' as const,
        data: { chargeId, amount: 10_959n, description: 'first hour' },
        metadata,
      }),
    });
    const path = (id: string) => `/api/admin/provisioning/${id}/first-hour-refund`;

    const noReason = await admin('POST', path(failedId), {});
    expectStatus(noReason, 400);
    expect(noReason.body.message).toContain('reason');

    const res = await admin('POST', path(failedId), { reason: 'charge committed' }, 'req-refund-1');
    expectStatus(res, 200);
    expect(res.body).toMatchObject({
      vpsId: failedId,
      chargeId,
      refunded: true,
      amount: '0.010959',
      refundedNow: '0.010959',
      replayed: false,
    });
    const recorded = (await vpsEvents(failedId)).find((e) => e.type === 'VpsFirstHourRefunded');
    expect(recorded?.data).toEqual({
      vpsId: failedId,
      chargeId,
      amount: '0.010959',
      reason: 'charge committed',
    });
    expect(recorded?.id).toBe(res.body.eventId);
    expectAudited(recorded, 'req-refund-1');
    const refundsOf = async () =>
      (await walletEvents()).filter((e) => e.type === 'WalletChargeRefunded' && e.data.chargeId === chargeId);
    const [refund] = await refundsOf();
    expect(refund?.data).toMatchObject({ chargeId, amount: '0.010959' });
    expectAudited(refund, 'req-refund-1');

    // Twice is one refund: the recorded outcome, nothing given back again.
    const count = await api.eventCount();
    const again = await admin('POST', path(failedId), { reason: 'again' });
    expectStatus(again, 200);
    expect(again.body).toMatchObject({ replayed: true, refundedNow: '0.000000', eventId: res.body.eventId });
    expect(await refundsOf()).toHaveLength(1);
    expect(await api.eventCount()).toBe(count);

    // Only failed servers (409), and only a charge not refunded yet (the second's compensation refunded it).
    const active = await admin('POST', path(first), { reason: 'r' });
    expectStatus(active, 409);
    expect(active.body).toMatchObject({ error: 'vps_not_failed', details: { status: 'active' } });
    const compensated = await admin('POST', path(second), { reason: 'r' });
    expectStatus(compensated, 409);
    expect(compensated.body).toMatchObject({ error: 'first_hour_already_refunded' });
    expect(await api.eventCount()).toBe(count);

    // The refund's money is in the ledger total below.
    refundedByStaff = money('0.010959');
    chargedBySeed = money('0.010959');
  });

  test('the wallet: the first server paid its first hour, the others got theirs back; balance == sum of ledger', async () => {
    const paid = await firstHourCharge(first);
    const ledger = walletBalanceOf(await walletEvents());
    expect(ledger).toBe(money(CREDIT) - paid.amount - chargedBySeed + refundedByStaff);
    await eventually(async () => {
      const wallet = await api.request('GET', `/api/organizations/${customer.orgId}/wallet`, {
        token: customer.token,
      });
      return wallet.status === 200 && wallet.body.balance === formatMoney(ledger);
    }, 'the wallet read model to show the ledger balance');
  });
});

describe('who may, and what does not exist', () => {
  const routes = (id: string): [string, string, unknown][] => [
    ['GET', '/api/admin/provisioning', undefined],
    ['POST', `/api/admin/provisioning/${id}/retry`, {}],
    ['POST', `/api/admin/provisioning/${id}/abort`, { reason: 'r' }],
    ['POST', `/api/admin/provisioning/${id}/terminate`, { reason: 'r' }],
    ['POST', `/api/admin/provisioning/${id}/first-hour-refund`, { reason: 'r' }],
  ];

  test('403 for a customer, 401 without a token', async () => {
    for (const [method, path, body] of routes('00000000-0000-4000-8000-000000000001')) {
      const asCustomer = await api.request(method, path, { token: customer.token, body });
      expect({ path, status: asCustomer.status }).toEqual({ path, status: 403 });
      const anonymous = await api.request(method, path, { body });
      expect({ path, status: anonymous.status }).toEqual({ path, status: 401 });
    }
  });

  test('404 for unknown ids (uuid or not), recording nothing', async () => {
    const count = await api.eventCount();
    for (const id of ['00000000-0000-4000-8000-000000000001', 'not-a-uuid']) {
      for (const [method, path, body] of routes(id).slice(1)) {
        const res = await admin(method, path, body);
        expect({ path, status: res.status, error: res.body.error }).toEqual({
          path,
          status: 404,
          error: 'vps_not_found',
        });
      }
    }
    expect(await api.eventCount()).toBe(count);
  });

  test('Temporal unreachable: 503 with a clear error, never a 500; a repeated abort records nothing twice', async () => {
    const down = await startTestApi({
      configOverrides: {
        temporal: { address: `127.0.0.1:${await freePort()}`, namespace: 'default' },
        vps: {
          linode: { apiUrl: harness.simulator.url, token: 'simulator-token' },
          secretsEncryptionKey: TEST_KEY,
          minBalanceHours: 1,
        },
      },
    });
    try {
      const token = (await signInAdmin(down)).token;
      const asAdmin = (method: string, path: string, body?: unknown) =>
        down.request(method, path, { token, ...(body === undefined ? {} : { body }) });
      const unavailable = (res: HttpResult) =>
        expect({ status: res.status, body: res.body }).toMatchObject({
          status: 503,
          body: { error: 'workflow_engine_unavailable', message: expect.stringContaining('workflow') },
        });

      const list = await asAdmin('GET', '/api/admin/provisioning?state=stuck');
      unavailable(list);
      expect(list.body.message).toContain('Temporal');

      // A server recorded while Temporal is down (its workflow never started).
      const plan = await asAdmin('POST', '/api/admin/plans', {
        name: 'Nano',
        providerPlanId: 'g6-nanode-1',
        regions: ['us-east'],
        baseMonthlyPrice: '5.00',
        markup: '1.00',
        backupUpcharge: '2.00',
        active: true,
      });
      expectStatus(plan, 201);
      const reg = await down.request('POST', '/api/auth/register', {
        body: { email: 'down@example.com', password: 'a-long-password-1', name: 'Down' },
      });
      const orgId = reg.body.organization.id as string;
      expectStatus(
        await asAdmin('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
          amount: '5.00',
          reason: 't',
        }),
        201,
      );
      const created = await down.request('POST', `/api/organizations/${orgId}/vps`, {
        token: reg.body.token,
        headers: { 'Idempotency-Key': 'down-1' },
        body: {
          label: 'down-1',
          planId: plan.body.id,
          region: 'us-east',
          image: 'linode/debian12',
          rootPassword: 'Correct-Horse-42-Battery',
        },
      });
      expect(created.status).toBe(503);
      const [requested] = await down.eventStore.readStream(streams.vps(created.body.details.vpsId));
      const vpsId = (requested.data as { vpsId: string }).vpsId;

      unavailable(await asAdmin('POST', `/api/admin/provisioning/${vpsId}/abort`, { reason: 'r1' }));
      unavailable(await asAdmin('POST', `/api/admin/provisioning/${vpsId}/abort`, { reason: 'r2' }));
      unavailable(await asAdmin('POST', `/api/admin/provisioning/${vpsId}/terminate`, { reason: 'r3' }));
      const types = (await down.eventStore.readStream(streams.vps(vpsId))).map((e) => e.type);
      expect(types).toEqual(['VpsRequested', 'VpsProvisioningAbortRequested']);
    } finally {
      await down.close();
    }
  });
});
