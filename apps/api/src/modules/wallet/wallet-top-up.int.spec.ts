/**
 * A staff credit tells the billing workflow of each billed server of the organization (walletToppedUpSignal),
 * on the real Temporal dev server: the billing workflows here are real executions that no worker runs, so
 * each signal stays in their history for the test to read. Whatever Temporal does, the credit is kept.
 */
import { createServer } from 'node:net';
import { streams, vpsDecider, type VpsCommand } from '@stratus/domain';
import { VpsServerEntity, type VpsStatus } from '@stratus/projections';
import { startPayPalSimulator, type PayPalSimulator } from '@stratus/infra/paypal-simulator';
import { createTemporalTestEnvironment } from '@stratus/infra/testing';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { v4 as uuidv4 } from 'uuid';
import { billingWorkflowId, provisioningWorkflowId, WORKFLOW_TYPES } from '@stratus/workflows';
import { CommandExecutor } from '@stratus/eventstore';
import { CommandContext } from '../../shared/request-context/command-context';
import { startTestApi, type TestApi, signInAdmin } from '../../testing/api-test-app';
import { TOP_UP_SIGNAL_DEADLINE_MS } from '../../shared/temporal/temporal-workflows.service';

jest.setTimeout(120_000);

/** No worker polls this queue: started workflows stay RUNNING and keep every signal in their history. */
const IDLE_QUEUE = 'wallet-top-up-test-idle';
const TOPPED_UP = 'walletToppedUp';

let temporal: TestWorkflowEnvironment;
let api: TestApi;
let paypal: PayPalSimulator;

async function adminToken(target: TestApi): Promise<string> {
  return (await signInAdmin(target)).token;
}

let counter = 0;
async function organization(target: TestApi): Promise<string> {
  const n = ++counter;
  const reg = await target.request('POST', '/api/auth/register', {
    body: { email: `topup${n}@example.com`, password: 'a-long-password-1', name: `Top-up ${n}` },
  });
  expect({ status: reg.status, body: reg.body }).toMatchObject({ status: 201 });
  return reg.body.organization.id as string;
}

type Kind = 'provisioning' | 'active' | 'suspended' | 'deleted';
type VpsCommandBody = VpsCommand extends infer C
  ? C extends VpsCommand
    ? Omit<C, 'metadata'>
    : never
  : never;

/** A server in the given state, recorded through the vps decider as the workflows would record it. */
async function server(target: TestApi, organizationId: string, kind: Kind): Promise<string> {
  const executor = target.app.get(CommandExecutor);
  const vpsId = uuidv4();
  const run = (body: VpsCommandBody) =>
    executor.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: CommandContext.system(`test-${vpsId}`),
      command: (_state, metadata) => ({ ...body, metadata }) as VpsCommand,
    });
  await run({
    type: 'RequestVps',
    data: {
      vpsId,
      organizationId,
      label: `srv-${kind}`,
      planId: 'plan-test',
      providerPlanId: 'g6-nanode-1',
      region: 'us-east',
      image: 'linode/debian12',
      backups: false,
      sshKeyIds: [],
      authorizedKeys: [],
      encryptedRootPassword: 'not-a-real-ciphertext',
      hourlyPrice: 8219n,
      monthlyPrice: 6_000_000n,
      idempotencyKey: vpsId,
      workflowId: provisioningWorkflowId(vpsId),
    },
  });
  if (kind === 'provisioning') return vpsId;
  await run({
    type: 'ActivateVps',
    data: {
      providerInstanceId: `inst-${vpsId.slice(0, 8)}`,
      ipv4: '203.0.113.7',
      billingWorkflowId: billingWorkflowId(vpsId),
      billedUntil: '2026-01-01T01:00:00.000Z',
    },
  });
  if (kind === 'suspended') await run({ type: 'SuspendVps', data: { debt: 8219n } });
  if (kind === 'deleted') {
    await run({ type: 'RequestDeletion', data: {} });
    await run({
      type: 'MarkDeleted',
      data: { finalChargeId: null, finalCharge: 0n, deletedAt: '2026-01-01T00:30:00.000Z' },
    });
  }
  return vpsId;
}

/** Polls the read model (filled by the projection runners) until every server shows its expected status. */
async function projected(target: TestApi, expected: Record<string, VpsStatus>): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await target.orm.em.fork().find(VpsServerEntity, { id: { $in: Object.keys(expected) } });
    const seen = Object.fromEntries(rows.map((r) => [r.id, r.status]));
    if (Object.entries(expected).every(([id, status]) => seen[id] === status)) return;
    if (Date.now() > deadline) {
      throw new Error(`read model: expected ${JSON.stringify(expected)}, saw ${JSON.stringify(seen)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startIdleBillingWorkflow(vpsId: string): Promise<void> {
  await temporal.client.workflow.start(WORKFLOW_TYPES.billing, {
    workflowId: billingWorkflowId(vpsId),
    taskQueue: IDLE_QUEUE,
    args: [{ vpsId }],
  });
}

async function signalNames(vpsId: string): Promise<string[]> {
  const history = await temporal.client.workflow.getHandle(billingWorkflowId(vpsId)).fetchHistory();
  return (history.events ?? [])
    .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
    .filter((name): name is string => typeof name === 'string');
}

function credit(target: TestApi, token: string, orgId: string, amount: string, key?: string) {
  return target.request('POST', `/api/admin/organizations/${orgId}/wallet/credits`, {
    token,
    body: { amount, reason: 'top-up' },
    headers: key ? { 'Idempotency-Key': key } : {},
  });
}

beforeAll(async () => {
  temporal = await createTemporalTestEnvironment();
  paypal = await startPayPalSimulator({ port: 0 });
  api = await startTestApi({
    configOverrides: {
      temporal: { address: temporal.address, namespace: temporal.namespace ?? 'default' },
      payments: {
        paypal: {
          apiUrl: paypal.url,
          clientId: paypal.clientId,
          clientSecret: paypal.clientSecret,
          webhookId: paypal.webhookId,
        },
        stripe: { apiUrl: 'http://127.0.0.1:9', secretKey: 'sk_test_unused', webhookSecret: 'whsec_unused' },
        limits: { min: 5_000_000n, max: 1_000_000_000n, daily: 1_500_000_000n },
        portalUrl: 'https://portal.example',
      },
    },
  });
});

afterAll(async () => {
  await api?.close();
  await paypal?.close();
  await temporal?.teardown();
});

describe('a staff credit signals walletToppedUp', () => {
  test('to the billing workflow of each active and suspended server of the organization, and no other', async () => {
    const token = await adminToken(api);
    const orgId = await organization(api);
    const otherOrgId = await organization(api);
    const suspended = await server(api, orgId, 'suspended');
    const active = await server(api, orgId, 'active');
    const provisioning = await server(api, orgId, 'provisioning');
    const deleted = await server(api, orgId, 'deleted');
    const otherTenant = await server(api, otherOrgId, 'suspended');
    // An active server whose billing workflow Temporal does not know: skipped, the credit still succeeds.
    const withoutWorkflow = await server(api, orgId, 'active');
    await projected(api, {
      [suspended]: 'suspended',
      [active]: 'active',
      [provisioning]: 'provisioning',
      [deleted]: 'deleted',
      [otherTenant]: 'suspended',
      [withoutWorkflow]: 'active',
    });
    for (const id of [suspended, active, provisioning, deleted, otherTenant])
      await startIdleBillingWorkflow(id);

    const res = await credit(api, token, orgId, '5.000000');
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 201,
      body: { balance: '5.000000' },
    });
    // The credit answered after the signals were sent: they are in the histories now.
    expect(await signalNames(suspended)).toEqual([TOPPED_UP]);
    expect(await signalNames(active)).toEqual([TOPPED_UP]);
    expect(await signalNames(provisioning)).toEqual([]);
    expect(await signalNames(deleted)).toEqual([]);
    expect(await signalNames(otherTenant)).toEqual([]);
  });

  test('an idempotent retry signals again (the first may have stopped before signalling); a reused key does not', async () => {
    const token = await adminToken(api);
    const orgId = await organization(api);
    const suspended = await server(api, orgId, 'suspended');
    await projected(api, { [suspended]: 'suspended' });
    await startIdleBillingWorkflow(suspended);

    const first = await credit(api, token, orgId, '1.500000', 'topup-key-1');
    expect({ status: first.status, body: first.body }).toMatchObject({ status: 201 });
    expect(await signalNames(suspended)).toEqual([TOPPED_UP]);

    const retry = await credit(api, token, orgId, '1.500000', 'topup-key-1');
    expect({ status: retry.status, body: retry.body }).toMatchObject({
      status: 201,
      body: { transactionId: first.body.transactionId, balance: '1.500000' },
    });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await signalNames(suspended)).toEqual([TOPPED_UP, TOPPED_UP]);

    const reused = await credit(api, token, orgId, '9.000000', 'topup-key-1');
    expect({ status: reused.status, body: reused.body }).toMatchObject({
      status: 409,
      body: { error: 'idempotency_key_reused' },
    });
    expect(await signalNames(suspended)).toEqual([TOPPED_UP, TOPPED_UP]);
  });
});

describe('a captured payment signals walletToppedUp', () => {
  test("to the suspended server's billing workflow, once per credit (the workflow then retries its unpaid periods and resumes, as for a staff credit)", async () => {
    const reg = await api.request('POST', '/api/auth/register', {
      body: { email: `payer-topup${++counter}@example.com`, password: 'a-long-password-1', name: 'Payer' },
    });
    const { token, organization: org } = reg.body as { token: string; organization: { id: string } };
    const suspended = await server(api, org.id, 'suspended');
    await projected(api, { [suspended]: 'suspended' });
    await startIdleBillingWorkflow(suspended);

    const created = await api.request('POST', `/api/organizations/${org.id}/payments`, {
      token,
      body: { provider: 'paypal', amount: '20.00' },
      headers: { 'Idempotency-Key': 'pay-to-resume' },
    });
    expect(created.status).toBe(201);
    const { paymentId, redirectUrl } = created.body as { paymentId: string; redirectUrl: string };
    paypal.approve(new URL(redirectUrl).searchParams.get('token')!);
    const captured = await api.request('POST', `/api/organizations/${org.id}/payments/${paymentId}/capture`, {
      token,
    });
    expect(captured.body).toMatchObject({ status: 'captured', capturedAmount: '20.000000' });
    // The capture answered after the credit and its signal: it is in the billing workflow's history now.
    expect(await signalNames(suspended)).toEqual([TOPPED_UP]);
    // A repeated return credits nothing more and only signals again (harmless: the workflow re-checks the wallet).
    await api.request('POST', `/api/organizations/${org.id}/payments/${paymentId}/capture`, { token });
    const credits = (await api.eventStore.readStream(streams.wallet(org.id))).filter(
      (event) => event.type === 'WalletCredited',
    );
    expect(credits).toHaveLength(1);
  });
});

describe('Temporal unreachable', () => {
  let offline: TestApi | undefined;
  afterAll(async () => {
    await offline?.close();
  });

  test('the credit is recorded and answered 201 within the signalling deadline', async () => {
    const closedPort = await new Promise<number>((res, rej) => {
      const probe = createServer();
      probe.once('error', rej);
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => res(port));
      });
    });
    offline = await startTestApi({
      configOverrides: { temporal: { address: `127.0.0.1:${closedPort}`, namespace: 'default' } },
    });
    const token = await adminToken(offline);
    const orgId = await organization(offline);
    const suspended = await server(offline, orgId, 'suspended');
    await projected(offline, { [suspended]: 'suspended' });

    const started = Date.now();
    const res = await credit(offline, token, orgId, '2.000000');
    expect({ status: res.status, body: res.body }).toMatchObject({
      status: 201,
      body: { balance: '2.000000' },
    });
    expect(Date.now() - started).toBeLessThan(TOP_UP_SIGNAL_DEADLINE_MS + 3000);
    const events = await offline.eventStore.readStream(streams.wallet(orgId));
    expect(events.map((e) => e.type)).toContain('WalletCredited');
  });
});
