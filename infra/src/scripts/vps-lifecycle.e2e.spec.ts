/**
 * A server's whole life, end to end through the real processes and the API only: `start.js api workers`
 * (with the Temporal dev server and the Linode simulator it starts itself, on free ports, over a fresh
 * database) and billing periods of 2 s. Staff creates a plan and credits a customer a little; the customer
 * creates a server, which becomes active with an address and is charged period after period until the money
 * runs out and it is suspended; staff tops the wallet up and the server resumes; a reboot; a deletion with a
 * prorated final charge. Then the books balance and the provider holds nothing live. Ctrl-C stops it all.
 */
import { formatMoney, money } from '@stratus/domain';
import { billingWorkflowId } from '@stratus/workflows';
import { Client, Connection } from '@temporalio/client';
import { alive, apiCall, startStack, waitFor, type ApiCall, type Json, type Stack } from '../testing';

jest.setTimeout(150_000);

const ADMIN = { email: 'ops@stratus.test', password: 'an-admin-password-123' };
const CUSTOMER = { email: 'ada@example.com', password: 'correct-horse-battery', name: 'Ada' };
const PERIOD_SECONDS = 2;
const GRACE_SECONDS = 2;
const MIN_BALANCE_HOURS = 1;

let stack: Stack;
let call: ApiCall;
let simUrl: string;
let temporalAddress: string;

beforeAll(async () => {
  stack = await startStack({
    name: 'vps-lifecycle',
    services: ['api', 'workers'],
    env: {
      // Read by start-sim.js; start.ts does not hand them on to the simulator yet (it runs with 1500 ms each).
      SIM_PROVISIONING_MS: '300',
      SIM_BOOTING_MS: '300',
      ADMIN_EMAIL: ADMIN.email,
      ADMIN_PASSWORD: ADMIN.password,
      BILLING_PERIOD_SECONDS: String(PERIOD_SECONDS),
      SUSPEND_GRACE_SECONDS: String(GRACE_SECONDS),
      PROVISIONING_RUNNING_TIMEOUT_SECONDS: '30',
      VPS_MIN_BALANCE_HOURS: String(MIN_BALANCE_HOURS),
    },
    bannerTimeoutMs: 120_000,
  });
  call = apiCall(stack.urls.api);
  simUrl = stack.urls.sim;
  temporalAddress = stack.temporalAddress;
});

afterAll(async () => {
  await stack?.stop();
});

interface SimInstance {
  id: number;
  label: string;
  status: string;
  deleted: boolean;
}
async function simInstances(): Promise<SimInstance[]> {
  const res = await fetch(`${simUrl}/__sim/instances`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: SimInstance[] }).data;
}

/** Signal names in the server's billing workflow history, read from the launcher's Temporal (a check, not a step). */
async function billingSignals(vpsId: string): Promise<string[]> {
  const connection = await Connection.connect({ address: temporalAddress });
  try {
    const history = await new Client({ connection }).workflow
      .getHandle(billingWorkflowId(vpsId))
      .fetchHistory();
    return (history.events ?? [])
      .map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)
      .filter((name): name is string => typeof name === 'string');
  } finally {
    await connection.close();
  }
}

interface Charge {
  type: string;
  chargeId: string;
  amount: string;
  description: string;
}

test('create → active → billed → suspended → topped up → resumed → reboot → deleted; books balance; Ctrl-C exits 0', async () => {
  const adminLogin = await call('POST', '/auth/login', { body: ADMIN });
  expect(adminLogin.status).toBe(200);
  const admin: string = adminLogin.body.token;

  // Staff: a plan on a simulator type.
  const plan = await call('POST', '/admin/plans', {
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
  expect({ status: plan.status, body: plan.body }).toMatchObject({ status: 201 });
  const planId: string = plan.body.id;

  // Customer: registers and reads the catalog.
  const registered = await call('POST', '/auth/register', { body: CUSTOMER });
  expect(registered.status).toBe(201);
  const orgId: string = registered.body.organization.id;
  const customer: string = registered.body.token;

  const offered = await waitFor(
    'the plan in GET /vps/plans',
    async () => {
      const res = await call('GET', '/vps/plans', { token: customer });
      const mine = res.status === 200 ? (res.body as Json[]).find((p) => p.id === planId) : undefined;
      return { value: mine, seen: { status: res.status, body: res.body } };
    },
    15_000,
  );
  const hourly = money(offered.hourlyPrice);
  expect(hourly).toBeGreaterThan(0n);
  const regions = await call('GET', '/vps/regions', { token: customer });
  expect(regions.status).toBe(200);
  expect((regions.body as Json[]).map((r) => r.id)).toContain('us-east');
  const images = await call('GET', '/vps/images', { token: customer });
  expect(images.status).toBe(200);
  expect((images.body as Json[]).map((i) => i.id)).toContain('linode/debian12');

  // Staff credit: the first hour + the minimum balance + about two periods.
  const firstCredit = formatMoney(hourly * BigInt(1 + MIN_BALANCE_HOURS + 2));
  const funded = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin,
    body: { amount: firstCredit, reason: 'Trial credit' },
    headers: { 'Idempotency-Key': 'trial-credit' },
  });
  expect({ status: funded.status, body: funded.body }).toMatchObject({
    status: 201,
    body: { balance: firstCredit },
  });

  // Create: 202, then active with an address.
  const created = await call('POST', `/organizations/${orgId}/vps`, {
    token: customer,
    headers: { 'Idempotency-Key': 'create-web-1' },
    body: {
      label: 'web-1',
      planId,
      region: 'us-east',
      image: 'linode/debian12',
      rootPassword: 'Correct-Horse-42-Battery',
    },
  });
  expect({ status: created.status, body: created.body }).toMatchObject({
    status: 202,
    body: { status: 'provisioning', hourlyPrice: offered.hourlyPrice },
  });
  const vpsId: string = created.body.id;
  const vpsPath = `/organizations/${orgId}/vps/${vpsId}`;
  const detail = () => call('GET', vpsPath, { token: customer });
  const untilStatus = (status: string, timeoutMs: number) =>
    waitFor(
      `status ${status}`,
      async () => {
        const res = await detail();
        return { value: res.body?.status === status ? res.body : undefined, seen: res.body };
      },
      timeoutMs,
    );

  const active = await untilStatus('active', 60_000);
  expect(active.ipv4).toMatch(/^\d{1,3}(\.\d{1,3}){3}$/);
  expect(active.providerInstanceId).toEqual(expect.any(String));
  const instanceId = Number(active.providerInstanceId);

  // Charged period after period (the first hour at creation, then each period at its end).
  const billing = () => call('GET', `${vpsPath}/billing`, { token: customer });
  const charged = (body: Json) => (body.charges as Charge[]).filter((c) => c.type === 'WalletCharged');
  const twoPeriods = await waitFor(
    'the first hour and two period charges',
    async () => {
      const res = await billing();
      const ok = res.status === 200 && charged(res.body).length >= 3;
      return { value: ok ? res.body : undefined, seen: res.body };
    },
    30_000,
  );
  for (const c of charged(twoPeriods)) expect(c.amount).toBe(formatMoney(-hourly));

  // The money runs out: a charge fails, and after the grace the server is suspended and shut down.
  const suspended = await untilStatus('suspended', 30_000);
  expect(money(suspended.debt)).toBeGreaterThan(0n);
  await waitFor(
    'the instance shut down at the provider',
    async () => {
      const mine = (await simInstances()).find((i) => i.id === instanceId);
      return { value: mine?.status === 'offline' ? true : undefined, seen: mine };
    },
    15_000,
  );
  const unpaid = await billing();
  expect((unpaid.body.charges as Charge[]).some((c) => c.type === 'WalletChargeFailed')).toBe(true);

  // Staff tops up: the debt is covered, the server resumes (walletToppedUp signal) and boots again.
  const topUp = await call('POST', `/admin/organizations/${orgId}/wallet/credits`, {
    token: admin,
    body: { amount: '1.000000', reason: 'Top-up' },
    headers: { 'Idempotency-Key': 'top-up-1' },
  });
  expect(topUp.status).toBe(201);
  const resumed = await untilStatus('active', 20_000);
  expect(resumed.debt).toBeNull();
  await waitFor(
    'the instance running again at the provider',
    async () => {
      const mine = (await simInstances()).find((i) => i.id === instanceId);
      return { value: mine?.status === 'running' ? true : undefined, seen: mine };
    },
    15_000,
  );

  // The resume was driven by the top-up's signal (the boundary re-check would also resume it, a period later).
  expect(await billingSignals(vpsId)).toEqual(['walletToppedUp']);

  const reboot = await call('POST', `${vpsPath}/actions`, { token: customer, body: { action: 'reboot' } });
  expect({ status: reboot.status, body: reboot.body }).toMatchObject({ status: 202 });

  // Delete: 202, then deleted with a prorated final charge.
  const deletion = await call('DELETE', vpsPath, { token: customer });
  expect({ status: deletion.status, body: deletion.body }).toMatchObject({ status: 202 });
  const deleted = await untilStatus('deleted', 30_000);
  expect(deleted.deletedAt).toEqual(expect.any(String));
  const final = await waitFor(
    'the final charge in the server’s billing',
    async () => {
      const res = await billing();
      const finalCharge = (res.body?.charges as Charge[] | undefined)?.find(
        (c) => c.type === 'WalletCharged' && c.description.includes(' final '),
      );
      return { value: finalCharge ? res.body : undefined, seen: res.body };
    },
    15_000,
  );
  const finalCharge = charged(final).find((c) => c.description.includes(' final '))!;
  expect(money(finalCharge.amount)).toBeLessThan(0n);
  expect(-money(finalCharge.amount)).toBeLessThanOrEqual(hourly);
  // Each charge is taken once (a failed attempt and its later success share a chargeId; successes never do).
  const chargeIds = charged(final).map((c) => c.chargeId);
  expect(new Set(chargeIds).size).toBe(chargeIds.length);
  expect(charged(final).length).toBeGreaterThanOrEqual(4); // first hour, ≥ 2 periods, final
  expect(await billingSignals(vpsId)).toEqual(['walletToppedUp', 'deleteServer']);

  // The books: the wallet balance is the sum of its ledger.
  const ledger: Json[] = [];
  for (let cursor: string | null = null; ;) {
    const page = await call(
      'GET',
      `/organizations/${orgId}/wallet/transactions?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token: customer },
    );
    expect(page.status).toBe(200);
    ledger.push(...page.body.items);
    cursor = page.body.nextCursor;
    if (!cursor) break;
  }
  expect(ledger.map((t) => t.id)).toEqual(expect.arrayContaining([funded.body.transactionId]));
  const newest = ledger.reduce((a, b) => (comparePositions(a.position, b.position) >= 0 ? a : b));
  const wallet = await call('GET', `/organizations/${orgId}/wallet`, {
    token: customer,
    headers: { 'X-Min-Position': newest.position },
  });
  expect(wallet.status).toBe(200);
  expect(wallet.headers.get('x-projection-lag')).toBeNull();
  const ledgerSum = ledger.reduce((sum, t) => sum + money(t.amount), 0n);
  expect(wallet.body).toMatchObject({ balance: formatMoney(ledgerSum), transactionCount: ledger.length });
  expect(ledgerSum).toBe(money(firstCredit) + money('1.000000') + money(final.totalCharged) * -1n);

  // The provider: this server's instance is deleted and nothing is left running.
  const instances = await simInstances();
  expect(instances.find((i) => i.id === instanceId)).toMatchObject({ deleted: true });
  expect(instances.filter((i) => !i.deleted)).toEqual([]);

  // Ctrl-C: exit 0, every child gone.
  const pids = stack.pids();
  expect(Object.keys(pids).sort()).toEqual(['api', 'mail', 'paypal', 'sim', 'stripe', 'temporal', 'workers']);
  expect(await stack.interrupt()).toBe(0);
  expect(Object.entries(pids).filter(([, pid]) => alive(pid))).toEqual([]);
});

/** Positions are "commit/prepare" (both integers). */
function comparePositions(a: string, b: string): number {
  const [ac, ap] = a.split('/').map(BigInt);
  const [bc, bp] = b.split('/').map(BigInt);
  if (ac !== bc) return ac < bc ? -1 : 1;
  return ap === bp ? 0 : ap < bp ? -1 : 1;
}
