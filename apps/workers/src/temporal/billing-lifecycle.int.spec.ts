import {
  billingStatusQuery,
  billingWorkflowId,
  DELETION_RESIGNAL_SCHEDULE_ID,
  deleteServerSignal,
  walletToppedUpSignal,
  type BillingResult,
  type BillingWorkflowInput,
} from '@stratus/workflows';
import { TemporalHarness, eventually } from './testing/temporal-harness';
import { recordFixture } from './testing/workflow-fixtures';
import { ensureDeletionResignalSchedule } from './worker';

const PRICE = 1_000_000n;
const HOUR = 3_600_000;

/**
 * The billing workflow's lifecycle (issue 11, items 1, 3, 7, 8): it never ends Failed while its instance lives,
 * a deletion recorded without a signal still ends billing, a top-up just before grace expiry is honoured, and an
 * abandoned suspended server is deleted after warnings, with one event per state change.
 */
describe('billingWorkflow lifecycle (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterEach(() => h.clearActivityFaults());
  afterAll(() => h.tearDown());

  const startBilling = async (
    organizationId: string,
    billedUntil: string,
    settings: Partial<BillingWorkflowInput> & Pick<BillingWorkflowInput, 'periodSeconds' | 'graceSeconds'>,
  ) => {
    const vpsId = await h.activeServer(organizationId, PRICE, billedUntil);
    const started = await h.env.client.workflow.start('billingWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: billingWorkflowId(vpsId),
      args: [{ vpsId, organizationId, hourlyPrice: '1', billedUntil, ...settings }],
    });
    return {
      vpsId,
      billing: h.env.client.workflow.getHandle(billingWorkflowId(vpsId)),
      firstRunId: started.firstExecutionRunId,
    };
  };

  const eventTypes = async (vpsId: string) => (await h.vpsEvents(vpsId)).map((e) => e.type);
  const hasEvent = async (vpsId: string, type: string) => (await eventTypes(vpsId)).includes(type);
  const liveInstances = async (vpsId: string) => (await h.instancesOf(vpsId)).filter((i) => !i.deleted);
  const recordDeletionWithoutSignal = (vpsId: string) =>
    h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });

  it('item 1: a provider refusal at the suspension is recorded on the stream and retried at the next boundary; the workflow lives on', async () => {
    const organizationId = await h.fundedOrganization(0n);
    const { vpsId, billing } = await startBilling(organizationId, new Date().toISOString(), {
      periodSeconds: 2,
      graceSeconds: 1,
    });
    const refusal = h.injectActivityFault({
      activity: 'suspendVps',
      vpsId,
      at: 'before',
      nonRetryable: true,
      times: 1,
    });
    await eventually(async () => refusal.fired() === 1, 'the suspension refused once');
    await eventually(() => hasEvent(vpsId, 'VpsBillingActionFailed'), 'the refusal recorded on the stream');
    await eventually(
      async () => (await h.vpsState(vpsId)).status === 'suspended',
      'suspended at a later boundary',
    );
    expect((await billing.describe()).status.name).toBe('RUNNING');

    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    expect(((await billing.result()) as BillingResult).outcome).toBe('deleted');
    expect(await liveInstances(vpsId)).toEqual([]);
    await recordFixture('billing-action-failure', [billing]); // an activity failure, recorded and retried
  });

  it('item 1: a top-up then a deletion: resuming a server whose deletion is requested is a no-op, and the server is deleted', async () => {
    const organizationId = await h.fundedOrganization(0n);
    const { vpsId, billing } = await startBilling(organizationId, new Date().toISOString(), {
      periodSeconds: 2,
      graceSeconds: 1,
    });
    await eventually(async () => (await h.vpsState(vpsId)).status === 'suspended', 'suspended');
    await h.credit(organizationId, 100n * PRICE);
    // The customer deletes while the top-up's retry is under way: the signal is not needed (the stream says it).
    await recordDeletionWithoutSignal(vpsId);
    await billing.signal(walletToppedUpSignal);
    expect(((await billing.result()) as BillingResult).outcome).toBe('deleted');
    expect(await hasEvent(vpsId, 'VpsResumed')).toBe(false);
    expect(await liveInstances(vpsId)).toEqual([]);
  });

  it('item 1: a deletion recorded during the grace period: the grace-expiry suspension is a no-op and the server is deleted', async () => {
    const organizationId = await h.fundedOrganization(0n);
    const { vpsId, billing } = await startBilling(organizationId, new Date().toISOString(), {
      periodSeconds: 3,
      graceSeconds: 2,
    });
    await eventually(() => hasEvent(vpsId, 'VpsPeriodChargeFailed'), 'the first period unpaid');
    await recordDeletionWithoutSignal(vpsId);
    expect(((await billing.result()) as BillingResult).outcome).toBe('deleted');
    expect(await hasEvent(vpsId, 'VpsSuspended')).toBe(false);
    expect(await liveInstances(vpsId)).toEqual([]);
  });

  it('item 3: a deletion recorded but never signalled ends billing within one period: instance gone, final charge recorded', async () => {
    const organizationId = await h.fundedOrganization(1000n * PRICE);
    const { vpsId } = await startBilling(organizationId, new Date().toISOString(), {
      periodSeconds: 2,
      graceSeconds: 60,
    });
    await eventually(() => hasEvent(vpsId, 'VpsPeriodBilled'), 'a period billed');
    await recordDeletionWithoutSignal(vpsId);
    const deletedAt = Date.now();
    await eventually(async () => (await h.vpsState(vpsId)).status === 'deleted', 'deleted', 10_000);
    expect(Date.now() - deletedAt).toBeLessThan(2 * 2000 + 2000);
    expect(await liveInstances(vpsId)).toEqual([]);
    const deleted = (await h.vpsEvents(vpsId)).find((e) => e.type === 'VpsDeleted');
    expect(deleted?.data).toMatchObject({ vpsId });
  });

  it('item 7: a top-up without a signal just before grace expiry pays the unpaid period instead of suspending', async () => {
    const organizationId = await h.fundedOrganization(0n);
    // One (hour-long) period is due at once and fails; the next boundary is half an hour away.
    const { vpsId, billing } = await startBilling(
      organizationId,
      new Date(Date.now() - HOUR - HOUR / 2).toISOString(),
      { periodSeconds: 3600, graceSeconds: 3 },
    );
    await eventually(() => hasEvent(vpsId, 'VpsPeriodChargeFailed'), 'the period unpaid');
    await h.credit(organizationId, 10n * PRICE); // the notifier's signal is lost
    await eventually(
      async () => (await billing.query(billingStatusQuery)).unpaidPeriods === 0,
      'the unpaid period paid at grace expiry',
      15_000,
    );
    expect(await hasEvent(vpsId, 'VpsSuspended')).toBe(false);
    expect((await h.vpsState(vpsId)).status).toBe('active');
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    expect(((await billing.result()) as BillingResult).outcome).toBe('deleted');
  });

  it('item 8: a suspended server records no failed charge per period, is warned, then deleted by the system after the configured time', async () => {
    const organizationId = await h.fundedOrganization(0n);
    const { vpsId, billing, firstRunId } = await startBilling(organizationId, new Date().toISOString(), {
      periodSeconds: 1,
      graceSeconds: 1,
      suspendedDeleteAfterSeconds: 6,
      suspendedDeletionWarningSeconds: [4, 2],
      maxPeriodsPerRun: 3, // the suspension, its deadline and its warnings carried across continueAsNew
    });
    expect(((await billing.result()) as BillingResult).outcome).toBe('deleted');
    const runs = await h.runHistories(billing.workflowId, firstRunId);
    expect(runs.length).toBeGreaterThan(2);
    await recordFixture(
      'billing-suspended-deleted-continue-as-new',
      runs.map((r) => h.env.client.workflow.getHandle(billing.workflowId, r.runId)),
    );
    const events = await h.vpsEvents(vpsId);
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'VpsDeletionWarning')).toHaveLength(2);
    expect(types.filter((t) => t === 'VpsSuspended')).toHaveLength(1);
    const requested = events.find((e) => e.type === 'VpsDeletionRequested');
    expect(requested?.metadata.actor).toMatchObject({ userId: 'system', role: 'system' });
    expect(types.at(-1)).toBe('VpsDeleted');
    // One failed charge per unpaid period: no retry every period while the wallet stays empty.
    const failedCharges = (await h.walletEvents(organizationId)).flatMap((e) =>
      e.type === 'WalletChargeFailed' ? [(e.data as { chargeId: string }).chargeId] : [],
    );
    expect(failedCharges.length).toBeGreaterThan(0);
    expect(new Set(failedCharges).size).toBe(failedCharges.length);
    expect(await liveInstances(vpsId)).toEqual([]);
  });

  it('item 3: the deletion re-signal schedule sends a lost delete signal again to a server deleting too long', async () => {
    // The servers read model as the projection writes it (the columns the query reads).
    await h.pool.query(`create table if not exists vps_servers (id text primary key, status text not null,
      billing_workflow_id text null, updated_at timestamptz not null)`);
    const organizationId = await h.fundedOrganization(1000n * PRICE);
    // Hour-long periods: no charge will come by to notice the deletion; only the schedule can.
    const { vpsId, billing } = await startBilling(organizationId, new Date().toISOString(), {
      periodSeconds: 3600,
      graceSeconds: 60,
    });
    // Past its start (where it looks for a recorded deletion once): waiting for the first boundary (a timer).
    await eventually(
      async () => (await billing.fetchHistory()).events?.some((e) => e.timerStartedEventAttributes),
      'billing waiting for its first boundary',
    );
    await recordDeletionWithoutSignal(vpsId);
    await h.pool.query('insert into vps_servers values ($1, $2, $3, $4)', [
      vpsId,
      'deleting',
      billingWorkflowId(vpsId),
      new Date(Date.now() - 10 * 60_000),
    ]);
    const settings = { taskQueue: h.taskQueue, everySeconds: 1, stuckAfterSeconds: 300 };
    expect(await ensureDeletionResignalSchedule(h.env.client, settings)).toBe(true);
    expect(await ensureDeletionResignalSchedule(h.env.client, settings)).toBe(false); // idempotent
    try {
      expect(((await billing.result()) as BillingResult).outcome).toBe('deleted');
    } finally {
      await h.env.client.schedule.getHandle(DELETION_RESIGNAL_SCHEDULE_ID).delete();
    }
    expect(await liveInstances(vpsId)).toEqual([]);
    expect((await h.vpsState(vpsId)).status).toBe('deleted');
  });
});
