/**
 * A suspended server resumes after a customer's payment covers its debt: the API (capture route, projections
 * running) and a Temporal worker in this process share one database; the PayPal simulator takes the payment and
 * the Linode simulator holds the server, which must be running there again.
 */
import { billingWorkflowId, TASK_QUEUE } from '@stratus/workflows';
import { startPayPalSimulator, type PayPalSimulator } from '@stratus/infra/paypal-simulator';
import { streams } from '@stratus/domain';
import { PaymentProviders } from '@stratus/infra';
import { eventually, TemporalHarness } from '../../../../workers/src/temporal/testing/temporal-harness';
import { startTestApi, type TestApi } from '../../testing/api-test-app';

jest.setTimeout(240_000);

const PRICE = 1_000_000n;
const harness = new TemporalHarness();
let api: TestApi;
let sim: PayPalSimulator;

beforeAll(async () => {
  await harness.setUp();
  // The API signals workflows on the production task queue: the harness's worker polls that one.
  harness.taskQueue = TASK_QUEUE;
  sim = await startPayPalSimulator({ port: 0, webhookRetryDelaysMs: [0] });
  const paypal = {
    apiUrl: sim.url,
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    webhookId: sim.webhookId,
  };
  // The payment's workflow (started by the create route) asks the simulator too.
  harness.paymentProviders = new PaymentProviders({
    paypal,
    stripe: { apiUrl: 'http://127.0.0.1:9', secretKey: 'sk_test_unused' },
  });
  api = await startTestApi({
    configOverrides: {
      databaseUrl: harness.database.url,
      temporal: { address: harness.env.address, namespace: harness.env.namespace ?? 'default' },
      payments: {
        paypal,
        limits: { min: 1_000_000n, max: 1_000_000_000n, daily: 10_000_000_000n },
        portalUrl: 'https://portal.example',
      },
    },
  });
  await harness.startWorker();
});
afterAll(async () => {
  await api?.close();
  await sim?.close();
  await harness.tearDown();
});

test('a suspended server resumes once a PayPal payment covers its debt, and runs at the provider again', async () => {
  const registered = await api.request('POST', '/api/auth/register', {
    body: { email: 'suspended@example.com', password: 'a-long-password-1', name: 'Suspended Co' },
  });
  expect(registered.status).toBe(201);
  const orgId = registered.body.organization.id as string;
  const token = registered.body.token as string;

  // An active server on an empty wallet whose period ends in a moment: the charge fails, the grace (1 s) ends, it
  // is suspended; its next boundary is two minutes later, so a resume before then is the payment's signal.
  const billedUntil = new Date(Date.now() - 118_000).toISOString();
  const vpsId = await harness.activeServer(orgId, PRICE, billedUntil);
  await harness.env.client.workflow.start('billingWorkflow', {
    taskQueue: TASK_QUEUE,
    workflowId: billingWorkflowId(vpsId),
    args: [
      {
        vpsId,
        organizationId: orgId,
        hourlyPrice: '1',
        billedUntil,
        periodSeconds: 120,
        graceSeconds: 1,
      },
    ],
  });
  await eventually(async () => (await harness.vpsState(vpsId)).status === 'suspended', 'suspended');
  await eventually(
    async () => (await harness.instancesOf(vpsId)).every((i) => i.status === 'offline'),
    'stopped at the provider',
  );
  // The top-up finds the server's workflow through the servers read model.
  await eventually(async () => {
    const rows = await api.orm.em
      .fork()
      .getConnection()
      .execute<{ status: string }[]>('select status from vps_servers where id = ?', [vpsId]);
    return rows[0]?.status === 'suspended';
  }, 'the servers read model');

  // The customer pays $20 through PayPal: approved at the simulator, captured by the return.
  const created = await api.request('POST', `/api/organizations/${orgId}/payments`, {
    token,
    body: { provider: 'paypal', amount: '20.00' },
    headers: { 'Idempotency-Key': 'resume-1' },
  });
  expect(created.status).toBe(201);
  const paymentId = created.body.paymentId as string;
  const initiated = (await api.eventStore.readStream(streams.payment(paymentId)))[0];
  sim.approve((initiated.data as { providerOrderId: string }).providerOrderId);
  const captured = await api.request('POST', `/api/organizations/${orgId}/payments/${paymentId}/capture`, {
    token,
  });
  expect(captured.body).toMatchObject({ status: 'captured' });

  await eventually(async () => (await harness.vpsState(vpsId)).status === 'active', 'resumed', 60_000);
  // Before the next boundary (billedUntil + 2 periods), where billing would have retried the debt by itself.
  expect(Date.now()).toBeLessThan(Date.parse(billedUntil) + 240_000);
  const events = (await harness.vpsEvents(vpsId)).map((e) => e.type);
  expect(events).toContain('VpsResumed');
  await eventually(
    async () => (await harness.instancesOf(vpsId)).some((i) => !i.deleted && i.status === 'running'),
    'running at the provider',
    60_000,
  );
});
