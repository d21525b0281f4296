import { vpsChargeId } from '@stratus/domain';
import {
  billingStatusQuery,
  billingWorkflowId,
  deleteServerSignal,
  walletToppedUpSignal,
  type BillingWorkflowInput,
} from '@stratus/workflows';
import type { temporal } from '@temporalio/proto';
import { TemporalHarness, eventually } from './testing/temporal-harness';

const HOUR = 3_600_000;
/** Temporal's suggested ceiling per run is far higher; this is the bound the issue sets. */
const MAX_EVENTS_PER_RUN = 10_240;

/**
 * continueAsNew in billingWorkflow. Periods are an hour, but the server's billedUntil lies far in the past:
 * every due period is charged back to back (what the workflow does after downtime), so hundreds of periods
 * take seconds, and the next boundary (half an hour ahead) never arrives during the test.
 */
describe('billingWorkflow continueAsNew (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterAll(() => h.tearDown());

  /** billedUntil `periods` whole hours and a half ago: exactly `periods` periods are due. */
  const pastBilledUntil = (periods: number) => new Date(Date.now() - periods * HOUR - HOUR / 2).toISOString();
  const periodStarts = (billedUntil: string, periods: number) =>
    Array.from({ length: periods }, (_, i) => new Date(Date.parse(billedUntil) + i * HOUR).toISOString());

  const startBilling = (input: BillingWorkflowInput) =>
    h.env.client.workflow.start('billingWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: billingWorkflowId(input.vpsId),
      args: [input],
    });

  /** WalletCharged count per charge id. */
  const chargesById = async (organizationId: string) => {
    const counts = new Map<string, number>();
    for (const event of await h.walletEvents(organizationId)) {
      if (event.type !== 'WalletCharged') continue;
      const { chargeId } = event.data as { chargeId: string };
      counts.set(chargeId, (counts.get(chargeId) ?? 0) + 1);
    }
    return counts;
  };

  const startInput = (history: temporal.api.history.v1.IHistory): BillingWorkflowInput => {
    const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
    return JSON.parse(Buffer.from(payload?.data ?? []).toString('utf8')) as BillingWorkflowInput;
  };

  const deleteAndWait = async (vpsId: string) => {
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    return (await billing.result()) as { outcome: string };
  };

  it('continues as new every 5 periods carrying billedUntil and the unpaid periods; no period charged twice', async () => {
    const PRICE = 1_000_000n;
    const organizationId = await h.fundedOrganization(7n * PRICE); // periods 1–7 paid, 8–12 unpaid
    const billedUntil = pastBilledUntil(12);
    const vpsId = await h.activeServer(organizationId, PRICE, billedUntil);
    const handle = await startBilling({
      vpsId,
      organizationId,
      hourlyPrice: '1',
      billedUntil,
      periodSeconds: 3600,
      graceSeconds: 1,
      maxPeriodsPerRun: 5,
    });
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    const suspended = await eventually(async () => {
      const status = await billing.query(billingStatusQuery);
      const caughtUp = status.billedUntil === new Date(Date.parse(billedUntil) + 12 * HOUR).toISOString();
      return caughtUp && status.suspended ? status : undefined;
    }, 'all 12 periods billed and the server suspended for the unpaid ones');
    expect(suspended.unpaidPeriods).toBe(5);
    expect((await h.vpsState(vpsId)).status).toBe('suspended');

    // Runs so far: 5 periods, 5 periods (3 of them unpaid), then the last 2; each run starts where the last stopped.
    const runs = await h.runHistories(handle.workflowId, handle.firstExecutionRunId);
    expect(runs).toHaveLength(3);
    const inputs = runs.map((r) => startInput(r.history));
    expect(inputs.map((i) => i.billedUntil)).toEqual(
      [0, 5, 10].map((n) => new Date(Date.parse(billedUntil) + n * HOUR).toISOString()),
    );
    expect(inputs[1].state?.unpaidPeriods ?? []).toEqual([]);
    expect(inputs[2].state?.unpaidPeriods.map((p) => p.periodStart)).toEqual(
      periodStarts(billedUntil, 12).slice(7, 10),
    );
    expect(inputs[2].state?.firstFailureAt).not.toBeNull();

    // The top-up pays the carried periods (oldest first) and the run's own, once each, and resumes the server.
    await h.credit(organizationId, 5n * PRICE);
    await billing.signal(walletToppedUpSignal);
    await eventually(async () => (await h.vpsState(vpsId)).status === 'active', 'resumed');
    expect((await billing.query(billingStatusQuery)).unpaidPeriods).toBe(0);
    expect(await h.balance(organizationId)).toBe(0n);

    const counts = await chargesById(organizationId);
    for (const periodStart of periodStarts(billedUntil, 12)) {
      expect([periodStart, counts.get(vpsChargeId(vpsId, periodStart))]).toEqual([periodStart, 1]);
    }
    expect(counts.size).toBe(12);
    expect((await deleteAndWait(vpsId)).outcome).toBe('deleted');
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
  });

  it('1,000 periods: every run stays under 10,240 history events and each period is charged exactly once', async () => {
    const PERIODS = 1000;
    const PRICE = 1_000n;
    const FUNDS = 10_000_000n;
    const organizationId = await h.fundedOrganization(FUNDS);
    const billedUntil = pastBilledUntil(PERIODS);
    const vpsId = await h.activeServer(organizationId, PRICE, billedUntil);
    // maxPeriodsPerRun left at its default: the bound must hold for what production runs.
    const handle = await startBilling({
      vpsId,
      organizationId,
      hourlyPrice: '0.001',
      billedUntil,
      periodSeconds: 3600,
      graceSeconds: 3600,
    });
    const caughtUp = new Date(Date.parse(billedUntil) + PERIODS * HOUR).toISOString();
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await eventually(
      async () => {
        const status = await billing.query(billingStatusQuery);
        return status.billedUntil === caughtUp;
      },
      `${PERIODS} periods billed`,
      540_000,
    );

    const runs = await h.runHistories(handle.workflowId, handle.firstExecutionRunId);
    const sizes = runs.map((r) => r.history.events?.length ?? 0);
    expect(runs.length).toBeGreaterThanOrEqual(10);
    for (const size of sizes) expect(size).toBeLessThan(MAX_EVENTS_PER_RUN);

    const counts = await chargesById(organizationId);
    const expected = periodStarts(billedUntil, PERIODS).map((start) => vpsChargeId(vpsId, start));
    expect(expected.filter((id) => counts.get(id) !== 1)).toEqual([]);
    expect(counts.size).toBe(PERIODS);
    expect(await h.balance(organizationId)).toBe(FUNDS - BigInt(PERIODS) * PRICE);
    expect((await deleteAndWait(vpsId)).outcome).toBe('deleted');
  }, 600_000);
});
