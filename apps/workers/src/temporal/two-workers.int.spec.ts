import {
  billingWorkflowId,
  deleteServerSignal,
  provisioningWorkflowId,
  type ProvisioningResult,
} from '@stratus/workflows';
import { TemporalHarness, eventually } from './testing/temporal-harness';

const PRICE = 1_000_000n;
const SERVERS = 4;

/** Two workers polling the same task queue at once: Temporal hands each task to one, activities are idempotent. */
describe('two workers on one task queue (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();
  const calls = [0, 0];

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker({ onActivity: () => (calls[0] += 1) });
    await h.startWorker({ onActivity: () => (calls[1] += 1), ownConnection: true });
  });
  afterAll(() => h.tearDown());

  it('several provisionings and billing periods: one instance per server, every period charged exactly once', async () => {
    const organizationId = await h.fundedOrganization(1_000_000_000n);
    const vpsIds = await Promise.all(
      Array.from({ length: SERVERS }, () => h.requestVps(organizationId, PRICE)),
    );
    const handles = await Promise.all(
      vpsIds.map((vpsId) =>
        h.env.client.workflow.start('provisioningWorkflow', {
          taskQueue: h.taskQueue,
          workflowId: provisioningWorkflowId(vpsId),
          args: [h.provisioningInput(vpsId, organizationId)],
        }),
      ),
    );
    const results = (await Promise.all(handles.map((handle) => handle.result()))) as ProvisioningResult[];
    expect(results.map((r) => r.outcome)).toEqual(vpsIds.map(() => 'active'));

    // Each server bills at least three 1 s periods after its first hour.
    await eventually(async () => {
      const charged = (await h.walletEvents(organizationId)).filter((e) => e.type === 'WalletCharged');
      return vpsIds.every(
        (vpsId) =>
          charged.filter((e) => (e.data as { chargeId: string }).chargeId.includes(vpsId)).length >= 4,
      );
    }, 'three billed periods per server');
    for (const vpsId of vpsIds) {
      expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(1);
      expect((await h.vpsState(vpsId)).status).toBe('active');
    }

    await Promise.all(
      vpsIds.map(async (vpsId) => {
        await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
        const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
        await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
        await billing.result();
      }),
    );

    const ledger = await h.walletEvents(organizationId);
    const counts = new Map<string, number>();
    for (const event of ledger.filter((e) => e.type === 'WalletCharged')) {
      const { chargeId } = event.data as { chargeId: string };
      counts.set(chargeId, (counts.get(chargeId) ?? 0) + 1);
    }
    expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
    const billed = (await Promise.all(vpsIds.map((vpsId) => h.vpsEvents(vpsId))))
      .flat()
      .filter((e) => e.type === 'VpsPeriodBilled')
      .map((e) => (e.data as { chargeId: string }).chargeId);
    // The servers' own records agree with the wallet: one VpsPeriodBilled per charged period, none twice.
    expect(billed.length).toBeGreaterThanOrEqual(3 * SERVERS);
    expect(new Set(billed).size).toBe(billed.length);
    expect(billed.filter((id) => counts.get(id) !== 1)).toEqual([]);
    for (const vpsId of vpsIds) {
      expect((await h.vpsState(vpsId)).status).toBe('deleted');
      expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
    }
    // Both workers took part (a single idle worker would make this test prove nothing).
    expect(calls.every((n) => n > 0)).toBe(true);
  });
});
