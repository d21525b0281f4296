import {
  billingWorkflowId,
  deleteServerSignal,
  provisioningWorkflowId,
  walletToppedUpSignal,
  type ProvisioningResult,
} from '@stratus/workflows';
import { reconcileBilling, type LedgerEvent } from '@stratus/domain';
import { TemporalHarness, eventually } from './testing/temporal-harness';

const PRICE = 1_000_000n; // 1.000000 USD per (test) period of 1 s
const FUNDS = 100_000_000n;
/** Longer than the billing workflow's first provider retry (1 s), as a real boot or shutdown is. */
const SLOW_TRANSITION_MS = 5_000;

/**
 * The provider performs the operation but its answer never arrives (the simulator's `lostAnswer` fault resets
 * the connection after the effect). Whatever the retries do next, each server ends with one instance, none
 * left behind, and every period charged once and as owed.
 */
describe('lost provider answers (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterEach(() => h.clearFaults());
  afterAll(() => h.tearDown());

  const provision = async (organizationId: string, vpsId: string) => {
    const handle = await h.env.client.workflow.start('provisioningWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: provisioningWorkflowId(vpsId),
      args: [h.provisioningInput(vpsId, organizationId)],
    });
    return (await handle.result()) as ProvisioningResult;
  };

  const deleteServer = async (vpsId: string) => {
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    const billing = h.env.client.workflow.getHandle(billingWorkflowId(vpsId));
    await billing.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
    await billing.result();
  };

  /** The fault fired: the simulator removes a fault once its count is spent. */
  const faultsLeft = async () =>
    (
      (await (await fetch(`${h.simulator.url.replace(/\/v4$/, '')}/__sim/faults`)).json()) as {
        data: unknown[];
      }
    ).data;

  /** No double charge: each charge id once, and no two charges of the server cover the same instant. */
  const expectNoDoubleCharge = async (organizationId: string, vpsId: string) => {
    const charges = (await h.walletEvents(organizationId)).flatMap((e) =>
      e.type === 'WalletCharged' && e.data.subject?.vpsId === vpsId ? [e.data] : [],
    );
    expect(charges.length).toBeGreaterThan(0);
    const ids = charges.map((charge) => charge.chargeId);
    expect(new Set(ids).size).toBe(ids.length);
    const periods = charges
      .map((charge) => [
        Date.parse(charge.subject?.periodStart ?? ''),
        Date.parse(charge.subject?.periodEnd ?? ''),
      ])
      .sort(([a], [b]) => a - b);
    periods.slice(1).forEach(([start], index) => expect(start).toBeGreaterThanOrEqual(periods[index][1]));
  };

  /**
   * Every period charged as owed: the reconciliation of the server's history finds nothing, or (`debtLeft`) only
   * what the customer still owes: periods unpaid for want of funds, and once deleted, the wallet's debt.
   */
  const expectReconciled = async (organizationId: string, vpsId: string, debtLeft = false) => {
    const ledger = await h.store.readStream(`wallet-${organizationId}`);
    const history: LedgerEvent[] = [...(await h.vpsEvents(vpsId)), ...ledger].map((e) => ({
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
    const kinds = new Set(report.lines.map((line) => line.kind));
    const owedByCustomer = ['unpaid', 'debt'];
    expect([...kinds].filter((kind) => !debtLeft || !owedByCustomer.includes(kind))).toEqual([]);
  };

  it('createInstance: the retry finds the created instance by its tag; one instance, no orphan, charged once', async () => {
    const organizationId = await h.fundedOrganization(FUNDS);
    const vpsId = await h.requestVps(organizationId, PRICE);
    await h.fault({ operation: 'createInstance', mode: 'lostAnswer', count: 1 });

    const result = await provision(organizationId, vpsId);

    expect(await faultsLeft()).toEqual([]);
    expect(result.outcome).toBe('active');
    const instances = await h.instancesOf(vpsId);
    expect(instances).toHaveLength(1); // never created twice
    expect(String(instances[0].id)).toBe(result.outcome === 'active' ? result.providerInstanceId : '');
    expect((await h.vpsState(vpsId)).status).toBe('active');

    await deleteServer(vpsId);
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
    await expectNoDoubleCharge(organizationId, vpsId);
    await expectReconciled(organizationId, vpsId);
  });

  it('deleteInstance: the retry finds the instance gone and deletion completes; no orphan, charged once', async () => {
    const organizationId = await h.fundedOrganization(FUNDS);
    const vpsId = await h.requestVps(organizationId, PRICE);
    expect((await provision(organizationId, vpsId)).outcome).toBe('active');
    await h.fault({ operation: 'deleteInstance', mode: 'lostAnswer', count: 1 });

    await deleteServer(vpsId);

    expect(await faultsLeft()).toEqual([]);
    expect((await h.vpsState(vpsId)).status).toBe('deleted');
    const instances = await h.instancesOf(vpsId);
    expect(instances).toHaveLength(1);
    expect(instances[0].deleted).toBe(true);
    await expectNoDoubleCharge(organizationId, vpsId);
    await expectReconciled(organizationId, vpsId);
  });

  /** An active server with funds for its first hour only: billing suspends it after the grace. */
  const unpaidServer = async () => {
    const organizationId = await h.fundedOrganization(PRICE);
    const vpsId = await h.requestVps(organizationId, PRICE);
    expect((await provision(organizationId, vpsId)).outcome).toBe('active');
    return { organizationId, vpsId };
  };
  /** Boots and shutdowns as slow as a real provider's: a retry after a lost answer lands while they run. */
  const slowTransitions = () => {
    h.simulator.state.delays.bootingMs = SLOW_TRANSITION_MS;
  };
  afterEach(() => {
    h.simulator.state.delays.bootingMs = 0;
  });

  /** The billing workflow's status beside the server's, so a failed workflow shows as such. */
  const billingAndServer = async (vpsId: string) => ({
    billing: (await h.env.client.workflow.getHandle(billingWorkflowId(vpsId)).describe()).status.name,
    server: (await h.vpsState(vpsId)).status,
  });
  const settled = (vpsId: string, server: string) =>
    eventually(async () => {
      const now = await billingAndServer(vpsId);
      return now.billing !== 'RUNNING' || now.server === server ? now : undefined;
    }, `server ${server} or billing closed`);

  it('shutdown (suspension): the retry finds the instance shutting down; suspended, one instance, charged once', async () => {
    const { organizationId, vpsId } = await unpaidServer();
    // Within the grace (1 s) before the suspension: provisioning itself booted at full speed.
    slowTransitions();
    await h.fault({ operation: 'shutdown', mode: 'lostAnswer', count: 1 });

    expect(await settled(vpsId, 'suspended')).toEqual({ billing: 'RUNNING', server: 'suspended' });
    expect(await faultsLeft()).toEqual([]);
    await eventually(async () => (await h.instancesOf(vpsId))[0]?.status === 'offline', 'instance offline');

    await deleteServer(vpsId);
    const instances = await h.instancesOf(vpsId);
    expect(instances).toHaveLength(1);
    expect(instances[0].deleted).toBe(true);
    await expectNoDoubleCharge(organizationId, vpsId);
    await expectReconciled(organizationId, vpsId, true); // the customer never topped up: the wallet's debt
    const debts = (await h.walletEvents(organizationId)).filter((e) => e.type === 'WalletDebtRecorded');
    expect(debts.length).toBeGreaterThan(0);
  });

  it('boot (resume after a top-up): the retry finds the instance booting; active, one instance, charged once', async () => {
    const { organizationId, vpsId } = await unpaidServer();
    await eventually(async () => (await h.vpsState(vpsId)).status === 'suspended', 'suspended');
    slowTransitions();
    await h.fault({ operation: 'boot', mode: 'lostAnswer', count: 1 });
    await h.credit(organizationId, FUNDS);
    await h.env.client.workflow.getHandle(billingWorkflowId(vpsId)).signal(walletToppedUpSignal);

    expect(await settled(vpsId, 'active')).toEqual({ billing: 'RUNNING', server: 'active' });
    expect(await faultsLeft()).toEqual([]);
    const instances = await h.instancesOf(vpsId);
    expect(instances).toHaveLength(1);
    expect(['booting', 'running']).toContain(instances[0].status);

    await deleteServer(vpsId);
    expect((await h.instancesOf(vpsId)).filter((i) => !i.deleted)).toHaveLength(0);
    await expectNoDoubleCharge(organizationId, vpsId);
    await expectReconciled(organizationId, vpsId);
  });
});
