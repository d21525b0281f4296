import {
  billingStatusQuery,
  billingWorkflowId,
  deleteServerSignal,
  provisioningWorkflowId,
  type ProvisioningResult,
} from '@stratus/workflows';
import type { WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TemporalHarness, eventually } from './testing/temporal-harness';

const PRICE = 1_000_000n;
const FUNDS = 10_000_000n;

/**
 * Failure at each provisioning step the provider simulator cannot break (provisioning.int.spec.ts covers
 * createInstance and getInstance): the charge itself, activation, and the start of billing.
 */
describe('provisioningWorkflow: failure at each step (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterEach(() => h.clearActivityFaults());
  afterAll(() => h.tearDown());

  const start = (vpsId: string, organizationId: string) =>
    h.env.client.workflow.start('provisioningWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: provisioningWorkflowId(vpsId),
      args: [h.provisioningInput(vpsId, organizationId)],
    });

  /** Activity types in the order the workflow scheduled them. */
  const scheduled = async (handle: WorkflowHandle) =>
    ((await handle.fetchHistory()).events ?? []).flatMap((e) =>
      e.activityTaskScheduledEventAttributes?.activityType?.name
        ? [e.activityTaskScheduledEventAttributes.activityType.name]
        : [],
    );
  const live = async (vpsId: string) => (await h.instancesOf(vpsId)).filter((i) => !i.deleted);
  const firstHourCharges = async (organizationId: string, vpsId: string) =>
    (await h.walletEvents(organizationId)).filter(
      (e) => e.type === 'WalletCharged' && (e.data as { chargeId: string }).chargeId.includes(vpsId),
    );

  it('activation refused by the domain: instance deleted, then the first hour refunded, server failed', async () => {
    const organizationId = await h.fundedOrganization(FUNDS);
    const vpsId = await h.requestVps(organizationId, PRICE);
    await h.seeding.reserveBurn(organizationId, vpsId, PRICE);
    const fault = h.injectActivityFault({ activity: 'activateVps', vpsId, at: 'before', nonRetryable: true });
    const handle = await start(vpsId, organizationId);
    const result = (await handle.result()) as ProvisioningResult;

    expect(fault.fired()).toBe(1);
    expect(result).toMatchObject({
      outcome: 'failed',
      stage: 'recording_active',
      instanceDeleted: true,
      refunded: true,
    });
    expect((await h.vpsState(vpsId)).status).toBe('failed');
    // An instance existed (it reached running) and none is left.
    expect(await h.instancesOf(vpsId)).toHaveLength(1);
    expect(await live(vpsId)).toHaveLength(0);
    expect(await h.balance(organizationId)).toBe(FUNDS);
    const activities = await scheduled(handle);
    const compensations = activities.filter((a) => a === 'deleteInstances' || a === 'refundFirstHour');
    expect(compensations).toEqual(['deleteInstances', 'refundFirstHour']); // reverse of charge → create
    expect(activities.indexOf('deleteInstances')).toBeGreaterThan(activities.indexOf('activateVps'));
    expect(activities.at(-1)).toBe('failProvisioning');
    // The failed server left the organization's hourly burn (create-vps's guard).
    const burn = (await h.walletEvents(organizationId)).filter((e) => e.type.startsWith('WalletBurn'));
    expect(burn.map((e) => [e.type, (e.data as { vpsId: string }).vpsId])).toEqual([
      ['WalletBurnReserved', vpsId],
      ['WalletBurnReleased', vpsId],
    ]);
  });

  it('first-hour charge failing for good (store unavailable): failed, nothing to compensate, wallet untouched', async () => {
    const organizationId = await h.fundedOrganization(FUNDS);
    const vpsId = await h.requestVps(organizationId, PRICE);
    h.injectActivityFault({ activity: 'chargeFirstHour', vpsId, at: 'before', nonRetryable: true });
    const handle = await start(vpsId, organizationId);
    const result = (await handle.result()) as ProvisioningResult;

    expect(result).toMatchObject({
      outcome: 'failed',
      stage: 'charging_first_hour',
      instanceDeleted: false,
      refunded: false,
    });
    expect((await h.vpsState(vpsId)).status).toBe('failed');
    expect(await h.instancesOf(vpsId)).toHaveLength(0);
    expect(await h.balance(organizationId)).toBe(FUNDS);
    const activities = await scheduled(handle);
    expect(activities).not.toContain('createInstance');
    // The refund is registered before the charge, so it runs, and refunds only a recorded charge: none here.
    expect(activities).toContain('refundFirstHour');
    const walletTypes = (await h.walletEvents(organizationId)).map((event) => event.type as string);
    expect(walletTypes).not.toContain('WalletCharged');
    expect(walletTypes).not.toContain('WalletRefunded');
  });

  it('first-hour charge whose answer is lost (retryable): the retry finds the same charge, charged once', async () => {
    const organizationId = await h.fundedOrganization(FUNDS);
    const vpsId = await h.requestVps(organizationId, PRICE);
    const fault = h.injectActivityFault({
      activity: 'chargeFirstHour',
      vpsId,
      at: 'after',
      nonRetryable: false,
      times: 2,
    });
    const handle = await start(vpsId, organizationId);
    expect(((await handle.result()) as ProvisioningResult).outcome).toBe('active');
    expect(fault.fired()).toBe(2);
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    await billing.result();
    const charges = await firstHourCharges(organizationId, vpsId);
    const ids = charges.map((e) => (e.data as { chargeId: string }).chargeId);
    expect(new Set(ids).size).toBe(ids.length); // the first hour (and every period) charged once
    expect(await live(vpsId)).toHaveLength(0);
  });

  it('a provider call whose worker went silent (killed mid-call: no answer, no heartbeat) is retried after the heartbeat timeout, not the start-to-close timeout', async () => {
    const organizationId = await h.fundedOrganization(FUNDS);
    const vpsId = await h.requestVps(organizationId, PRICE);
    const fault = h.injectActivityFault({
      activity: 'createInstance',
      vpsId,
      at: 'silent',
      nonRetryable: false,
      times: 1,
    });
    const handle = await start(vpsId, organizationId);
    expect(((await handle.result()) as ProvisioningResult).outcome).toBe('active');
    expect(fault.fired()).toBe(1);
    const started = ((await handle.fetchHistory()).events ?? []).find(
      (e) =>
        e.activityTaskStartedEventAttributes?.attempt === 2 &&
        e.activityTaskStartedEventAttributes.lastFailure?.timeoutFailureInfo,
    );
    // The second attempt ran because the first one stopped heartbeating (the silent attempt ended later still).
    expect(started?.activityTaskStartedEventAttributes?.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(
      temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT,
    );
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    await billing.result();
  });

  it('starting billing after activation: the stage record refused does not undo an active server; billing starts', async () => {
    const organizationId = await h.fundedOrganization(FUNDS);
    const vpsId = await h.requestVps(organizationId, PRICE);
    const fault = h.injectActivityFault({
      activity: 'recordProvisioningStage',
      vpsId,
      when: (input) => input.stage === 'starting_billing',
      at: 'before',
      nonRetryable: true,
    });
    const handle = await start(vpsId, organizationId);
    const result = (await handle.result()) as ProvisioningResult;

    // Past activation the server is the customer's: failing it would contradict VpsActivated (the domain
    // refuses FailProvisioning on an active server), deleting its instance would destroy a paid server.
    expect(fault.fired()).toBe(1);
    expect(result.outcome).toBe('active');
    expect((await h.vpsState(vpsId)).status).toBe('active');
    expect(await live(vpsId)).toHaveLength(1);
    const activities = await scheduled(handle);
    expect(activities).not.toContain('deleteInstances');
    expect(activities).not.toContain('refundFirstHour');
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await eventually(
      async () => (await billing.query(billingStatusQuery)).vpsId === vpsId,
      'billing running',
    );
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    await billing.result();
    expect(await live(vpsId)).toHaveLength(0);
    expect((await h.vpsState(vpsId)).status).toBe('deleted');
  });
});
