import {
  abortProvisioningSignal,
  billingStatusQuery,
  billingWorkflowId,
  deleteServerSignal,
  provisioningStatusQuery,
  provisioningWorkflowId,
  retryProvisioningSignal,
  searchAttributes,
  type ProvisioningResult,
} from '@stratus/workflows';
import { Worker } from '@temporalio/worker';
import { money, reconcileBilling, type LedgerEvent } from '@stratus/domain';
import { TemporalHarness, eventually } from './testing/temporal-harness';
import { recordFixture } from './testing/workflow-fixtures';

const PRICE = 1_000_000n; // 1.000000 USD per (test) period of 1 s

describe('provisioningWorkflow and billingWorkflow (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterAll(() => h.tearDown());

  const start = (vpsId: string, organizationId: string, overrides = {}) =>
    h.env.client.workflow.start('provisioningWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: provisioningWorkflowId(vpsId),
      args: [h.provisioningInput(vpsId, organizationId, overrides)],
    });

  it('happy path: one instance, first hour charged, periods billed once each, deletion charges the partial period', async () => {
    const organizationId = await h.fundedOrganization(100_000_000n);
    const vpsId = await h.requestVps(organizationId, PRICE);
    const handle = await start(vpsId, organizationId);
    const result = (await handle.result()) as ProvisioningResult;
    expect(result.outcome).toBe('active');

    const vps = await h.vpsState(vpsId);
    expect(vps.status).toBe('active');
    const live = (await h.instancesOf(vpsId)).filter((i) => !i.deleted);
    expect(live).toHaveLength(1);
    expect(String(live[0].id)).toBe(result.outcome === 'active' ? result.providerInstanceId : '');

    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.provisioningState)).toBe('active');
    expect(description.typedSearchAttributes.get(searchAttributes.vpsId)).toBe(vpsId);
    expect((await handle.query(provisioningStatusQuery)).state).toBe('active');

    // Billing charges at least three periods of 1 s.
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await eventually(async () => {
      const charged = (await h.walletEvents(organizationId)).filter((e) => e.type === 'WalletCharged');
      return charged.length >= 4;
    }, 'three billed periods after the first hour');

    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    const billed = (await billing.result()) as { outcome: string };
    expect(billed.outcome).toBe('deleted');

    expect((await h.vpsState(vpsId)).status).toBe('deleted');
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
    const ledger = await h.walletEvents(organizationId);
    const charges = ledger.filter((e) => e.type === 'WalletCharged');
    const chargeIds = charges.map((e) => (e.data as { chargeId: string }).chargeId);
    expect(new Set(chargeIds).size).toBe(chargeIds.length); // no period charged twice
    const amounts = charges.map((e) => money((e.data as { amount: string }).amount));
    // Every charge is one full period except possibly the prorated last one.
    expect(amounts.slice(0, -1).every((a) => a === PRICE)).toBe(true);
    expect(amounts.at(-1)! <= PRICE).toBe(true);
    expect(await h.balance(organizationId)).toBe(100_000_000n - amounts.reduce((s, a) => s + a, 0n));

    // Determinism: both histories replay against the current workflow code without a nondeterminism error.
    const histories = [
      { workflowId: handle.workflowId, history: await handle.fetchHistory() },
      { workflowId: billing.workflowId, history: await billing.fetchHistory() },
    ];
    const replays = [];
    for await (const replay of Worker.runReplayHistories({ workflowBundle: h.bundle }, histories))
      replays.push(replay);
    expect(replays.map((r) => r.error ?? null)).toEqual([null, null]);
    await recordFixture('happy-path', [handle, billing]);
  });

  it('insufficient funds for the first hour: failed without compensation, nothing at the provider', async () => {
    const organizationId = await h.fundedOrganization(PRICE / 2n);
    const vpsId = await h.requestVps(organizationId, PRICE);
    const result = (await (await start(vpsId, organizationId)).result()) as ProvisioningResult;
    expect(result).toMatchObject({ outcome: 'failed', stage: 'charging_first_hour', refunded: false });
    expect((await h.vpsState(vpsId)).status).toBe('failed');
    expect(await h.instancesOf(vpsId)).toHaveLength(0);
    expect(await h.balance(organizationId)).toBe(PRICE / 2n);
    // Never charged, never owed: the reconciliation lists nothing (it used to expect a first-hour charge).
    expect((await h.reconcile(organizationId, [vpsId])).lines).toEqual([]);
  });

  it('deleted by the customer before the first-hour charge: nothing charged, nothing owed', async () => {
    const organizationId = await h.fundedOrganization(10_000_000n);
    const vpsId = await h.requestVps(organizationId, PRICE);
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    // The deletion signal arrives with the start, before the workflow charges anything.
    const handle = await h.env.client.workflow.signalWithStart('provisioningWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: provisioningWorkflowId(vpsId),
      args: [h.provisioningInput(vpsId, organizationId)],
      signal: deleteServerSignal,
      signalArgs: [{ requestedAt: new Date().toISOString() }],
    });
    const result = (await handle.result()) as ProvisioningResult;
    expect(result.outcome).toBe('failed');
    expect(await h.balance(organizationId)).toBe(10_000_000n);
    expect((await h.reconcile(organizationId, [vpsId])).lines).toEqual([]);
  });

  it.each([
    ['createInstance', 'creating_instance'],
    ['getInstance', 'waiting_for_running'],
  ])(
    'provider failing at %s: compensation deletes, refunds, the server ends failed',
    async (operation, stage) => {
      const organizationId = await h.fundedOrganization(10_000_000n);
      const vpsId = await h.requestVps(organizationId, PRICE);
      await h.fault({ operation, mode: 'error', count: 100 });
      try {
        const result = (await (await start(vpsId, organizationId)).result()) as ProvisioningResult;
        expect(result).toMatchObject({ outcome: 'failed', stage, refunded: true });
      } finally {
        await h.clearFaults();
      }
      expect((await h.vpsState(vpsId)).status).toBe('failed');
      expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
      expect(await h.balance(organizationId)).toBe(10_000_000n);
    },
  );

  it('stuck → retry after release → active', async () => {
    const organizationId = await h.fundedOrganization(10_000_000n);
    const vpsId = await h.requestVps(organizationId, PRICE);
    await h.fault({ operation: 'createInstance', mode: 'stuck', count: 1 });
    const handle = await start(vpsId, organizationId, { runningTimeoutSeconds: 1 });
    await eventually(async () => (await h.vpsState(vpsId)).status === 'stuck', 'stuck');
    const status = await eventually(async () => {
      const s = await handle.query(provisioningStatusQuery);
      return s.state === 'stuck' ? s : undefined;
    }, 'stuck in the query');
    expect(status.stage).toBe('waiting_for_running');
    const description = await handle.describe();
    expect(description.typedSearchAttributes.get(searchAttributes.provisioningState)).toBe('stuck');
    const [instance] = (await h.instancesOf(vpsId)).filter((i) => !i.deleted);
    await h.release(instance.id);
    await handle.signal(retryProvisioningSignal);
    const result = (await handle.result()) as ProvisioningResult;
    expect(result.outcome).toBe('active');
    expect((await handle.query(provisioningStatusQuery)).attempt).toBe(2);
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(1);
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    await billing.result();
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
    await recordFixture('stuck-retry', [handle, billing]);
  });

  it('hours stuck in provisioning are not billed: billing starts at the activation', async () => {
    const organizationId = await h.fundedOrganization(100_000_000n);
    const vpsId = await h.requestVps(organizationId, PRICE);
    await h.fault({ operation: 'createInstance', mode: 'stuck', count: 1 });
    const handle = await start(vpsId, organizationId, { runningTimeoutSeconds: 1 });
    await eventually(async () => (await h.vpsState(vpsId)).status === 'stuck', 'stuck');
    const firstHour = (await h.vpsEvents(vpsId)).find((e) => e.type === 'VpsFirstHourCharged')!;
    const firstHourEnd = Date.parse((firstHour.data as { periodEnd: string }).periodEnd);
    // Stuck for three more periods (of 1 s) after the first one ended.
    await eventually(async () => Date.now() >= firstHourEnd + 3000, 'three periods stuck');
    const [instance] = (await h.instancesOf(vpsId)).filter((i) => !i.deleted);
    await h.release(instance.id);
    await handle.signal(retryProvisioningSignal);
    expect(((await handle.result()) as ProvisioningResult).outcome).toBe('active');

    const activated = (await h.vpsEvents(vpsId)).find((e) => e.type === 'VpsActivated')!;
    const billedUntil = Date.parse((activated.data as { billedUntil: string }).billedUntil);
    expect(billedUntil).toBeGreaterThanOrEqual(firstHourEnd + 3000);
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await eventually(async () => {
      const charged = (await h.walletEvents(organizationId)).filter((e) => e.type === 'WalletCharged');
      return charged.length >= 3;
    }, 'two periods billed after the activation');
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    await billing.result();

    const periodStarts = (await h.walletEvents(organizationId))
      .filter((e) => e.type === 'WalletCharged')
      .map((e) => (e.data as { subject?: { periodStart?: string } }).subject?.periodStart ?? '')
      .map((start) => Date.parse(start));
    // The first hour, then nothing before the activation.
    expect(
      periodStarts.filter(
        (start) => start > Date.parse(firstHour.metadata.occurredAt) && start < billedUntil,
      ),
    ).toEqual([]);
    expect((await h.reconcile(organizationId, [vpsId])).lines).toEqual([]);
  });

  it('stuck → abort → failed, refunded, no instance', async () => {
    const organizationId = await h.fundedOrganization(10_000_000n);
    const vpsId = await h.requestVps(organizationId, PRICE);
    await h.fault({ operation: 'createInstance', mode: 'stuck', count: 1 });
    const handle = await start(vpsId, organizationId, { runningTimeoutSeconds: 1 });
    await eventually(async () => (await handle.query(provisioningStatusQuery)).state === 'stuck', 'stuck');
    await handle.signal(abortProvisioningSignal, { reason: 'operator gave up' });
    const result = (await handle.result()) as ProvisioningResult;
    expect(result).toMatchObject({ outcome: 'failed', instanceDeleted: true, refunded: true });
    expect((await h.vpsState(vpsId)).status).toBe('failed');
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
    expect(await h.balance(organizationId)).toBe(10_000_000n);
    await recordFixture('stuck-abort-compensated', [handle]);
  });

  it('customer deletion during provisioning aborts with compensation', async () => {
    const organizationId = await h.fundedOrganization(10_000_000n);
    const vpsId = await h.requestVps(organizationId, PRICE);
    await h.fault({ operation: 'createInstance', mode: 'stuck', count: 1 });
    const handle = await start(vpsId, organizationId, { runningTimeoutSeconds: 30 });
    await eventually(async () => (await h.instancesOf(vpsId)).length === 1, 'instance created');
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    await handle.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    const result = (await handle.result()) as ProvisioningResult;
    expect(result).toMatchObject({ outcome: 'failed', instanceDeleted: true, refunded: true });
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
    expect(await h.balance(organizationId)).toBe(10_000_000n);
  });

  it('insufficient funds: suspended after the grace, resumed after a top-up', async () => {
    const organizationId = await h.fundedOrganization(PRICE); // exactly the first hour
    const vpsId = await h.requestVps(organizationId, PRICE);
    const handle = await start(vpsId, organizationId);
    expect(((await handle.result()) as ProvisioningResult).outcome).toBe('active');
    await eventually(async () => (await h.vpsState(vpsId)).status === 'suspended', 'suspended', 20_000);
    const ledger = await h.walletEvents(organizationId);
    expect(ledger.some((e) => e.type === 'WalletChargeFailed')).toBe(true);
    const [instance] = (await h.instancesOf(vpsId)).filter((i) => !i.deleted);
    expect(instance.status).toBe('offline');

    // Let two whole periods pass while suspended: they owe nothing, so nothing is charged for them.
    const suspendedAt = Date.parse(
      (await h.vpsEvents(vpsId)).find((e) => e.type === 'VpsSuspended')!.metadata.occurredAt,
    );
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await eventually(
      async () => Date.parse((await billing.query(billingStatusQuery)).billedUntil) >= suspendedAt + 3000,
      'two periods billed while suspended',
      20_000,
    );
    await h.credit(organizationId, 50_000_000n);
    await billing.signal('walletToppedUp');
    await eventually(async () => (await h.vpsState(vpsId)).status === 'active', 'resumed', 20_000);
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    await billing.result();
    const charges = (await h.walletEvents(organizationId)).filter((e) => e.type === 'WalletCharged');
    const ids = charges.map((e) => (e.data as { chargeId: string }).chargeId);
    expect(new Set(ids).size).toBe(ids.length);
    expect((await h.balance(organizationId)) >= 0n).toBe(true);

    // No charge while suspended: a period inside the suspension has no WalletCharged at all, and every amount
    // charged is what the server's events say it owed (the reconciliation of this history is clean).
    const vpsEvents = await h.vpsEvents(vpsId);
    const resumedAt = Date.parse(vpsEvents.find((e) => e.type === 'VpsResumed')!.metadata.occurredAt);
    const periodStarts = new Set(ids.map((id) => Date.parse(id.slice(id.indexOf(':') + 1))));
    const billedUntil = Date.parse(
      (vpsEvents.find((e) => e.type === 'VpsActivated')!.data as { billedUntil: string }).billedUntil,
    );
    const insideSuspension: number[] = [];
    for (let start = billedUntil; start + 1000 <= resumedAt; start += 1000) {
      if (start >= suspendedAt) insideSuspension.push(start);
    }
    expect(insideSuspension.length).toBeGreaterThanOrEqual(2);
    expect(insideSuspension.filter((start) => periodStarts.has(start))).toEqual([]);
    const ledger2 = await h.store.readStream(`wallet-${organizationId}`);
    const history: LedgerEvent[] = [...vpsEvents, ...ledger2].map((e) => ({
      id: e.id,
      streamId: e.streamId,
      type: e.type,
      data: e.data,
      occurredAt: e.metadata.occurredAt,
    }));
    const report = reconcileBilling(
      {
        from: '2000-01-01T00:00:00.000Z',
        to: new Date(Date.now() + 3_600_000).toISOString(),
        periodSeconds: 1,
      },
      history,
    );
    expect(report.lines).toEqual([]);
    expect(report.summary.chargedTotal).toBe(report.summary.expectedTotal);
    await recordFixture('suspend-resume-delete', [handle, billing]);
  });
});
