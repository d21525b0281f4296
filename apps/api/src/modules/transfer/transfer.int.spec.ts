/**
 * Transfer through the API: the API (projections running) and a Temporal worker share one database; a server is
 * seeded active at the Linode simulator, its counter set there and measured by the measurement workflow (the
 * metered servers read from the API's read model), then read back per server and pooled for the organization;
 * staff set the overage price.
 */
import { randomUUID } from 'node:crypto';
import { BYTES_PER_GB, transferMonthOf } from '@stratus/domain';
import { postgresMeteredServers } from '@stratus/projections';
import { TASK_QUEUE, WORKFLOW_TYPES, type TransferMeasurementResult } from '@stratus/workflows';
import {
  eventually,
  TemporalHarness,
  TEST_KEY,
} from '../../../../workers/src/temporal/testing/temporal-harness';
import { signInAdmin, startTestApi, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(180_000);

const harness = new TemporalHarness();
let api: TestApi;
let admin: string;

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
      },
    },
  });
  await harness.startWorker({
    dependencies: {
      meteredServers: postgresMeteredServers((text, values) => harness.pool.query(text, values)),
    },
  });
  admin = (await signInAdmin(api)).token;
});
afterAll(async () => {
  await api?.close();
  await harness.tearDown();
});

async function customer(): Promise<{ token: string; orgId: string }> {
  const registered = await api.request('POST', '/api/auth/register', {
    body: { email: `t-${randomUUID().slice(0, 8)}@example.com`, password: 'a-long-password-1', name: 'T' },
  });
  expect(registered.status).toBe(201);
  return { token: registered.body.token, orgId: registered.body.organization.id };
}

/** An active server of the organization, seeded as provisioning leaves it, once the read model lists it. */
async function activeServer(token: string, orgId: string): Promise<{ vpsId: string; instanceId: number }> {
  const vpsId = await harness.activeServer(
    orgId,
    1_000_000n,
    new Date(Date.now() + 86_400_000).toISOString(),
  );
  await eventually(async () => {
    const res = await api.request('GET', `/api/organizations/${orgId}/vps/${vpsId}`, { token });
    return res.status === 200 && res.body.status === 'active';
  }, 'the server in the read model');
  const [instance] = await harness.instancesOf(vpsId);
  return { vpsId, instanceId: instance.id };
}

async function setCounter(instanceId: number, used: bigint) {
  const response = await fetch(
    `${harness.simulator.url.replace(/\/v4$/, '')}/__sim/instances/${instanceId}/transfer`,
    {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ used: Number(used), bytesPerSecond: 0 }),
    },
  );
  expect(response.status).toBe(200);
}

const measure = () =>
  harness.env.client.workflow.execute(WORKFLOW_TYPES.transferMeasurement, {
    taskQueue: TASK_QUEUE,
    workflowId: `measure-${randomUUID()}`,
  }) as Promise<TransferMeasurementResult>;

describe('transfer routes', () => {
  it("shows a server's bytes exactly and the organization's pool against its allowance, at the staff's price", async () => {
    const { token, orgId } = await customer();
    const a = await activeServer(token, orgId);
    const b = await activeServer(token, orgId);
    const usedA = 4_000n * BYTES_PER_GB + 123n; // past any quota: an overage
    const usedB = 1_048_577n; // 1 MiB + 1 byte: never rounded
    await setCounter(a.instanceId, usedA);
    await setCounter(b.instanceId, usedB);
    expect((await measure()).measured).toBeGreaterThanOrEqual(2);

    const month = transferMonthOf(new Date());
    const server = await api.request('GET', `/api/organizations/${orgId}/vps/${a.vpsId}/transfer`, { token });
    expect(server.status).toBe(200);
    expect(server.body).toMatchObject({ vpsId: a.vpsId, month, usedBytes: usedA.toString() });
    expect(server.body.quotaGb).toBeGreaterThan(0);
    expect(server.body.allowanceBytes).toBe((BigInt(server.body.quotaGb) * BYTES_PER_GB).toString());
    const today = new Date().toISOString().slice(0, 10);
    expect(server.body.days.at(-1)).toEqual({ date: today, usedBytes: usedA.toString() });
    expect(server.body.days).toHaveLength(new Date().getUTCDate());

    const quotaB = (
      await api.request('GET', `/api/organizations/${orgId}/vps/${b.vpsId}/transfer`, { token })
    ).body.quotaGb as number;
    const pool = await api.request('GET', `/api/organizations/${orgId}/transfer`, { token });
    expect(pool.status).toBe(200);
    const allowance = BigInt(server.body.quotaGb + quotaB) * BYTES_PER_GB;
    const overage = usedA + usedB - allowance;
    expect(pool.body).toMatchObject({
      month,
      usedBytes: (usedA + usedB).toString(),
      allowanceBytes: allowance.toString(),
      overageBytes: overage.toString(),
      pricePerGb: '0.005000',
      closed: null,
    });
    // overage × 5,000 micros per 10^9 bytes, half-up.
    const micros = (overage * 5_000n + 500_000_000n) / 1_000_000_000n;
    expect(pool.body.overageAmount).toBe(
      `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}`,
    );
    expect(pool.body.servers).toHaveLength(2);

    // Staff set the price; customers see it.
    const set = await api.request('PUT', '/api/admin/billing/transfer-price', {
      token: admin,
      body: { pricePerGb: '0.01' },
    });
    expect(set.status).toBe(200);
    expect(set.body.pricePerGb).toBe('0.010000');
    const priced = await api.request('GET', `/api/organizations/${orgId}/transfer`, { token });
    expect(priced.body.pricePerGb).toBe('0.010000');
    expect((await api.request('GET', '/api/admin/billing/transfer-price', { token: admin })).body).toEqual({
      pricePerGb: '0.010000',
      set: true,
    });
  });

  it('refuses bad input with a clear 4xx and changes nothing; another organization sees 404', async () => {
    const { token, orgId } = await customer();
    const other = await customer();
    const { vpsId } = await activeServer(token, orgId);

    for (const month of ['2026-13', '26-01', 'now']) {
      const res = await api.request('GET', `/api/organizations/${orgId}/transfer?month=${month}`, { token });
      expect(res.status).toBe(400);
      expect(res.body.error).toBeDefined();
    }
    const foreign = await api.request('GET', `/api/organizations/${other.orgId}/vps/${vpsId}/transfer`, {
      token: other.token,
    });
    expect(foreign.status).toBe(404);
    expect(
      (await api.request('GET', `/api/organizations/${orgId}/vps/not-a-uuid/transfer`, { token })).status,
    ).toBe(404);
    const past = await api.request('GET', `/api/organizations/${orgId}/transfer?month=2020-01`, { token });
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({
      month: '2020-01',
      usedBytes: '0',
      overageAmount: '0.000000',
      servers: [],
    });
    expect(past.body.days).toHaveLength(31);

    const before = (await api.request('GET', '/api/admin/billing/transfer-price', { token: admin })).body;
    for (const pricePerGb of ['-1', '0.0000001', '100.000001', 'abc', 5]) {
      const res = await api.request('PUT', '/api/admin/billing/transfer-price', {
        token: admin,
        body: { pricePerGb },
      });
      expect(res.status).toBe(400);
    }
    expect(
      (await api.request('PUT', '/api/admin/billing/transfer-price', { token, body: { pricePerGb: '0' } }))
        .status,
    ).toBe(403);
    expect((await api.request('GET', '/api/admin/billing/transfer-price', { token: admin })).body).toEqual(
      before,
    );
  });
});
