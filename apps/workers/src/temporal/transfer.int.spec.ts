import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import {
  BYTES_PER_GB,
  evolveServerTransfer,
  replayOrganizationBilling,
  streams,
  transferChargeId,
  transferMonthBill,
  transferMonthOf,
  type ServerTransfer,
  type TransferMeasured,
} from '@stratus/domain';
import type { BillingDirectory, MeteredServer, MeteredServers } from '@stratus/projections';
import {
  TRANSFER_MEASUREMENT_SCHEDULE_ID,
  TRANSFER_MONTH_CLOSE_SCHEDULE_ID,
  transferMonthCloseWorkflowId,
  WORKFLOW_TYPES,
  type TransferMeasurementResult,
  type TransferMonthCloseResult,
} from '@stratus/workflows';
import { eventually, TemporalHarness } from './testing/temporal-harness';
import { ensureTransferSchedules } from './worker';
import { recordFixture } from './testing/workflow-fixtures';

/**
 * The transfer workflows against the real Temporal dev server, PostgreSQL and the Linode simulator: the hourly
 * measurement (counters set at the simulator), the month close charging the pooled overage once, and the
 * reconciliation over what they recorded. The activities' clock is the test's: an hour or a month passes at once.
 */
describe('transfer measurement and month close (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();
  /** The servers the directory lists (stands in for the read model). */
  const metered: MeteredServer[] = [];
  const orgs = new Map<string, string[]>();
  let now = new Date();

  const meteredServers: MeteredServers = {
    async after(after, limit) {
      return [...metered]
        .sort((a, b) => (a.vpsId < b.vpsId ? -1 : 1))
        .filter((s) => after === null || s.vpsId > after)
        .slice(0, limit);
    },
  };
  const billingDirectory: BillingDirectory = {
    async organizationsAfter(after, limit) {
      return [...orgs.keys()]
        .sort()
        .filter((o) => after === null || o > after)
        .slice(0, limit);
    },
    async serversOf(organizationId) {
      return orgs.get(organizationId) ?? [];
    },
    async paymentsOf() {
      return [];
    },
  };

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker({ dependencies: { clock: () => now, meteredServers, billingDirectory } });
  });
  afterAll(() => h.tearDown());
  afterEach(() => h.clearFaults());

  const simRoot = () => h.simulator.url.replace(/\/v4$/, '');

  /** An active server of the organization, its counter set at the simulator (standing still). */
  async function server(
    organizationId: string,
    used: bigint,
  ): Promise<{ vpsId: string; instanceId: string }> {
    const vpsId = await h.activeServer(
      organizationId,
      1_000_000n,
      new Date(Date.now() + 86_400_000).toISOString(),
    );
    const [instance] = await h.instancesOf(vpsId);
    const instanceId = String(instance.id);
    metered.push({ vpsId, organizationId, providerInstanceId: instanceId });
    orgs.set(organizationId, [...(orgs.get(organizationId) ?? []), vpsId]);
    await setCounter(instanceId, used);
    return { vpsId, instanceId };
  }

  async function setCounter(instanceId: string, used: bigint) {
    const response = await fetch(`${simRoot()}/__sim/instances/${instanceId}/transfer`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ used: Number(used), bytesPerSecond: 0 }),
    });
    expect(response.status).toBe(200);
  }

  /** Runs a workflow to its end; `fixture`: its history is saved as a replay fixture (RECORD_WORKFLOW_FIXTURES=1). */
  const run = async <T>(type: string, args: unknown[] = [], fixture?: string): Promise<T> => {
    const handle = await h.env.client.workflow.start(type, {
      taskQueue: h.taskQueue,
      workflowId: `${type}-${randomUUID()}`,
      args,
    });
    const result = (await handle.result()) as T;
    if (fixture) await recordFixture(fixture, [handle]);
    return result;
  };

  async function serverMonth(vpsId: string, month: string): Promise<ServerTransfer | null> {
    let folded: ServerTransfer | null = null;
    for (const event of await h.store.readStream(streams.transfer(vpsId, month))) {
      folded = evolveServerTransfer(folded, { type: event.type, data: event.data } as TransferMeasured);
    }
    return folded;
  }

  const reader = {
    readStream: (streamId: string, options: { fromRevision: bigint; maxCount: number }) =>
      h.store.readStream(streamId, options),
  };

  /** The reconciliation of the organization over the hour around the month's end (when the overage falls due). */
  async function reconcile(organizationId: string, month: string) {
    const end = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
    return replayOrganizationBilling(
      reader,
      {
        from: new Date(end - 60_000).toISOString(),
        to: new Date(end + 60_000).toISOString(),
        periodSeconds: 3600,
        organizationId,
      },
      { servers: orgs.get(organizationId) ?? [] },
    );
  }

  it('measures each server once an hour, exactly, and pools the overage into one charge at the month close', async () => {
    const month = transferMonthOf(now);
    const organizationId = await h.fundedOrganization(100_000_000n);
    const a = await server(organizationId, 1_500n * BYTES_PER_GB + 7n);
    const b = await server(organizationId, 600n * BYTES_PER_GB - 1n);

    const first = await run<TransferMeasurementResult>(
      WORKFLOW_TYPES.transferMeasurement,
      [],
      'transfer-measurement',
    );
    expect(first.failed).toBe(0);
    expect(first.measured).toBeGreaterThanOrEqual(2);
    // The same hour again (a re-run, or a second schedule firing): nothing more recorded.
    await run<TransferMeasurementResult>(WORKFLOW_TYPES.transferMeasurement);
    expect(await h.store.readStream(streams.transfer(a.vpsId, month))).toHaveLength(1);

    // An hour later the counters grew; one server's provider call fails: it is measured at the next hour.
    now = new Date(now.getTime() + 3_600_000);
    if (transferMonthOf(now) !== month) now = new Date(now.getTime() - 2 * 3_600_000); // stay in the month
    await setCounter(a.instanceId, 1_700n * BYTES_PER_GB + 7n);
    await setCounter(b.instanceId, 650n * BYTES_PER_GB + 3n);
    await h.fault({ operation: 'getInstanceTransfer', mode: 'error', count: 10 });
    const faulty = await run<TransferMeasurementResult>(WORKFLOW_TYPES.transferMeasurement);
    expect(faulty.failed).toBeGreaterThan(0);
    await h.clearFaults();
    await run<TransferMeasurementResult>(WORKFLOW_TYPES.transferMeasurement);

    const monthA = (await serverMonth(a.vpsId, month))!;
    const monthB = (await serverMonth(b.vpsId, month))!;
    expect(monthA.usedBytes).toBe(1_700n * BYTES_PER_GB + 7n); // exact to the byte, never rounded to MiB
    expect(monthB.usedBytes).toBe(650n * BYTES_PER_GB + 3n);
    expect(monthA.quotaGb).toBeGreaterThan(0);

    // Closing before the month's end is refused.
    await expect(run(WORKFLOW_TYPES.transferMonthClose, [{ organizationId, month }])).rejects.toBeInstanceOf(
      WorkflowFailedError,
    );

    // The month ends; the schedule's workflow starts one close per organization.
    const end = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
    now = new Date(end + 3_600_000);
    const all = await run<{ month: string; started: number }>(
      WORKFLOW_TYPES.transferMonthCloseAll,
      [{ month }],
      'transfer-month-close-all',
    );
    expect(all.started).toBeGreaterThanOrEqual(1);
    const closeHandle = h.env.client.workflow.getHandle(transferMonthCloseWorkflowId(organizationId, month));
    const closed = (await closeHandle.result()) as TransferMonthCloseResult;
    await recordFixture('transfer-month-close', [closeHandle]);

    const bill = transferMonthBill(month, [monthA, monthB], 5_000n);
    expect(bill.overageBytes).toBe(
      2_350n * BYTES_PER_GB + 10n - BigInt(monthA.quotaGb + monthB.quotaGb) * BYTES_PER_GB,
    );
    expect(closed).toMatchObject({
      outcome: 'charged',
      chargeId: transferChargeId(organizationId, month),
      usedBytes: (2_350n * BYTES_PER_GB + 10n).toString(),
      overageBytes: bill.overageBytes.toString(),
      pricePerGb: '0.005000',
    });
    const charges = (await h.walletEvents(organizationId)).filter(
      (e) => e.type === 'WalletCharged' && e.data.chargeId === transferChargeId(organizationId, month),
    );
    expect(charges).toHaveLength(1);
    expect(charges[0].data).toMatchObject({ amount: closed.amount });
    expect(closed.amount).toBe(
      `${bill.amount / 1_000_000n}.${(bill.amount % 1_000_000n).toString().padStart(6, '0')}`,
    );

    // The close again (the schedule's workflow again, or by hand): the month is closed, nothing more charged.
    const again = await run<{ already: number; started: number }>(WORKFLOW_TYPES.transferMonthCloseAll, [
      { month },
    ]);
    expect(again.already).toBeGreaterThanOrEqual(1);
    expect(await run(WORKFLOW_TYPES.transferMonthClose, [{ organizationId, month }])).toEqual(closed);
    expect(
      (await h.walletEvents(organizationId)).filter(
        (e) => e.type === 'WalletCharged' && e.data.chargeId === closed.chargeId,
      ),
    ).toHaveLength(1);
    expect(await h.store.readStream(streams.transferMonth(organizationId, month))).toHaveLength(1);

    // The reconciliation recomputes the overage from the measurements: nothing to report.
    const report = await reconcile(organizationId, month);
    expect(report.lines).toEqual([]);
    expect(report.summary.chargedTotal).toBe(closed.amount);
  });

  it('keeps an overage the wallet cannot pay as its debt, collected by its next credit; the reconciliation follows', async () => {
    now = new Date();
    const month = transferMonthOf(now);
    const organizationId = await h.fundedOrganization(1n);
    await server(organizationId, 5_000n * BYTES_PER_GB);
    await run(WORKFLOW_TYPES.transferMeasurement);
    const end = Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1);
    now = new Date(end + 3_600_000);
    const closed = await run<TransferMonthCloseResult>(WORKFLOW_TYPES.transferMonthClose, [
      { organizationId, month },
    ]);
    expect(closed.outcome).toBe('debt');
    const owed = await reconcile(organizationId, month);
    expect(owed.lines.map((l) => [l.kind, l.chargeId, l.expected])).toEqual([
      ['debt', transferChargeId(organizationId, month), closed.amount],
    ]);

    await h.credit(organizationId, 1_000_000_000n);
    const paid = await reconcile(organizationId, month);
    expect(paid.lines).toEqual([]);
  });

  it('runs the measurement from its schedule, created once, and closes months at 01:00 UTC on the 1st', async () => {
    now = new Date();
    const organizationId = await h.fundedOrganization(1_000_000n);
    const { vpsId } = await server(organizationId, 123_456_789n);
    const deleteSchedules = () =>
      Promise.all(
        [TRANSFER_MEASUREMENT_SCHEDULE_ID, TRANSFER_MONTH_CLOSE_SCHEDULE_ID].map((id) =>
          h.env.client.schedule.getHandle(id).delete(),
        ),
      );
    const settings = { taskQueue: h.taskQueue, measureEverySeconds: 1 };
    expect(await ensureTransferSchedules(h.env.client, settings)).toHaveLength(2);
    expect(await ensureTransferSchedules(h.env.client, settings)).toEqual([]); // idempotent
    try {
      await eventually(
        async () => (await serverMonth(vpsId, transferMonthOf(now)))?.usedBytes === 123_456_789n,
        'a measurement by the schedule',
      );
      const close = await h.env.client.schedule.getHandle(TRANSFER_MONTH_CLOSE_SCHEDULE_ID).describe();
      expect(close.spec.calendars?.[0]).toMatchObject({
        dayOfMonth: [{ start: 1, end: 1, step: 1 }],
        hour: [{ start: 1, end: 1, step: 1 }],
      });
      expect(close.action).toMatchObject({ workflowType: WORKFLOW_TYPES.transferMonthCloseAll });
    } finally {
      await deleteSchedules();
    }
    // Hourly, the measurement runs a minute before each hour's end.
    expect(
      await ensureTransferSchedules(h.env.client, { taskQueue: h.taskQueue, measureEverySeconds: 3600 }),
    ).toHaveLength(2);
    try {
      const measurement = await h.env.client.schedule.getHandle(TRANSFER_MEASUREMENT_SCHEDULE_ID).describe();
      expect(measurement.spec.intervals).toEqual([{ every: 3_600_000, offset: 3_540_000 }]);
    } finally {
      await deleteSchedules();
    }
  });
});
