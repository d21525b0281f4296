import {
  amountOwedFor,
  money,
  owedForServer,
  reconcileBilling,
  totalOwed,
  vpsChargeId,
  type LedgerEvent,
  type TimedVpsEvent,
  type VpsEvent,
} from '@stratus/domain';
import {
  billingStatusQuery,
  billingWorkflowId,
  deleteServerSignal,
  type BillingWorkflowInput,
} from '@stratus/workflows';
import { TemporalHarness, eventually } from './testing/temporal-harness';

const HOUR = 3_600_000;
const PRICE = 1_000_000n; // 1.000000 USD per hour

/**
 * The deletion of a server whose billing is behind: after a workers outage (periods elapsed that the workflow
 * never charged) and with periods left unpaid (a top-up arrived just before the deletion). The final settlement
 * charges every period owed, once, under its normal charge id; what the wallet cannot pay stays as its debt.
 */
describe('billingWorkflow deletion settles everything owed (real Temporal, PostgreSQL, Linode simulator)', () => {
  const h = new TemporalHarness();

  beforeAll(async () => {
    await h.setUp();
    await h.startWorker();
  });
  afterAll(() => h.tearDown());

  const input = (vpsId: string, organizationId: string, billedUntil: string): BillingWorkflowInput => ({
    vpsId,
    organizationId,
    hourlyPrice: '1',
    billedUntil,
    periodSeconds: 3600,
    // No suspension during these tests: the settlement at deletion is what they are about.
    graceSeconds: 100 * 3600,
  });

  const timedEvents = async (vpsId: string): Promise<TimedVpsEvent[]> =>
    (await h.vpsEvents(vpsId)).map((e) => ({
      event: { type: e.type, data: e.data } as VpsEvent,
      occurredAt: e.metadata.occurredAt,
    }));

  /** From `billedUntil` on: the seeded server's first hour was never charged (no provisioning ran). */
  const reconcile = async (organizationId: string, vpsId: string, billedUntil: string) => {
    const ledger = await h.store.readStream(`wallet-${organizationId}`);
    const history: LedgerEvent[] = [...(await h.vpsEvents(vpsId)), ...ledger].map((e) => ({
      id: e.id,
      streamId: e.streamId,
      type: e.type,
      data: e.data,
      occurredAt: e.metadata.occurredAt,
    }));
    return reconcileBilling(
      {
        from: billedUntil,
        to: new Date(Date.now() + HOUR).toISOString(),
        periodSeconds: 3600,
      },
      history,
    );
  };

  /** The server's WalletCharged amounts by charge id (each id must appear once). */
  const chargesOf = async (organizationId: string, vpsId: string) => {
    const charges = new Map<string, bigint>();
    for (const event of await h.walletEvents(organizationId)) {
      if (event.type !== 'WalletCharged' || event.data.subject?.vpsId !== vpsId) continue;
      expect(charges.has(event.data.chargeId)).toBe(false);
      charges.set(event.data.chargeId, money(event.data.amount));
    }
    return charges;
  };

  const requestDeletion = async (vpsId: string) => {
    await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
    return { requestedAt: new Date().toISOString() };
  };

  it('late workflow (workers down five periods, deleted inside the outage): every whole period and the prorated rest charged as owed', async () => {
    const organizationId = await h.fundedOrganization(100n * PRICE);
    // Billed until five periods and a half ago: the workers were down since, and the customer deleted meanwhile.
    const billedUntil = new Date(Date.now() - 5 * HOUR - HOUR / 2).toISOString();
    const vpsId = await h.activeServer(organizationId, PRICE, billedUntil);
    const deletion = await requestDeletion(vpsId);

    // The workers come back: the deletion signal is waiting before the workflow has charged anything.
    const billing = await h.env.client.workflow.signalWithStart('billingWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: billingWorkflowId(vpsId),
      args: [input(vpsId, organizationId, billedUntil)],
      signal: deleteServerSignal,
      signalArgs: [deletion],
    });
    expect(((await billing.result()) as { outcome: string }).outcome).toBe('deleted');

    const events = await timedEvents(vpsId);
    const charges = await chargesOf(organizationId, vpsId);
    const starts = Array.from({ length: 6 }, (_, k) =>
      new Date(Date.parse(billedUntil) + k * HOUR).toISOString(),
    );
    // Five whole periods under their normal period charge ids, then the prorated rest.
    expect([...charges.keys()]).toEqual(starts.map((start) => vpsChargeId(vpsId, start)));
    starts.forEach((start, k) => {
      const until = new Date(Date.parse(start) + HOUR).toISOString();
      expect([k, charges.get(vpsChargeId(vpsId, start))]).toEqual([
        k,
        amountOwedFor(events, start, until, 3600),
      ]);
    });
    expect(charges.get(vpsChargeId(vpsId, starts[5]))).toBeLessThan(PRICE);
    const owed = owedForServer(
      events,
      '2000-01-01T00:00:00.000Z',
      new Date(Date.now() + HOUR).toISOString(),
      3600,
    );
    const charged = [...charges.values()].reduce((sum, amount) => sum + amount, 0n);
    expect(charged).toBe(totalOwed(owed.filter((o) => o.kind !== 'first_hour')));
    expect((await reconcile(organizationId, vpsId, billedUntil)).lines).toEqual([]);
    expect((await h.vpsState(vpsId)).status).toBe('deleted');
  });

  /** An active server billed 24 hours with an empty wallet: 24 unpaid periods when `funds` arrive, then the deletion. */
  const deleteAfterUnpaidDay = async (funds: bigint) => {
    const organizationId = await h.fundedOrganization(0n);
    const billedUntil = new Date(Date.now() - 24 * HOUR - HOUR / 2).toISOString();
    const vpsId = await h.activeServer(organizationId, PRICE, billedUntil);
    const handle = await h.env.client.workflow.start('billingWorkflow', {
      taskQueue: h.taskQueue,
      workflowId: billingWorkflowId(vpsId),
      args: [input(vpsId, organizationId, billedUntil)],
    });
    await eventually(async () => {
      const status = await handle.query(billingStatusQuery);
      return status.unpaidPeriods === 24;
    }, '24 periods billed and unpaid');
    // The top-up's signal is best effort (never sent here); the deletion comes a moment later.
    await h.credit(organizationId, funds);
    await handle.signal(deleteServerSignal, await requestDeletion(vpsId));
    expect(((await handle.result()) as { outcome: string }).outcome).toBe('deleted');
    const starts = Array.from({ length: 25 }, (_, k) =>
      new Date(Date.parse(billedUntil) + k * HOUR).toISOString(),
    );
    return {
      organizationId,
      vpsId,
      billedUntil,
      chargeIds: starts.map((start) => vpsChargeId(vpsId, start)),
    };
  };

  it('24 unpaid hours, a top-up, the deletion a moment later: the unpaid periods are charged (oldest first) before the final charge', async () => {
    const { organizationId, vpsId, billedUntil, chargeIds } = await deleteAfterUnpaidDay(30n * PRICE);

    const charges = await chargesOf(organizationId, vpsId);
    expect([...charges.keys()]).toEqual(chargeIds);
    const charged = [...charges.values()].reduce((sum, amount) => sum + amount, 0n);
    expect(charged).toBeGreaterThan(24n * PRICE);
    expect(await h.balance(organizationId)).toBe(30n * PRICE - charged);
    expect((await reconcile(organizationId, vpsId, billedUntil)).lines).toEqual([]);
  });

  it('what the wallet cannot pay at the deletion stays as its debt, listed as such, and the next credit collects it once', async () => {
    const { organizationId, vpsId, billedUntil, chargeIds } = await deleteAfterUnpaidDay(10n * PRICE);

    // The ten oldest periods paid; the other fourteen and the final charge recorded as the wallet's debt.
    expect([...(await chargesOf(organizationId, vpsId)).keys()]).toEqual(chargeIds.slice(0, 10));
    expect(await h.balance(organizationId)).toBe(0n);
    const debts = (await h.walletEvents(organizationId)).filter(
      (e) => (e.type as string) === 'WalletDebtRecorded',
    );
    expect(debts.map((e) => (e.data as { chargeId: string }).chargeId)).toEqual(chargeIds.slice(10));
    const before = await reconcile(organizationId, vpsId, billedUntil);
    expect(before.lines.map((line) => [line.chargeId, line.kind])).toEqual(
      chargeIds.slice(10).map((chargeId) => [chargeId, 'debt']),
    );
    const debt = before.lines.reduce((sum, line) => sum + money(line.difference), 0n);

    await h.credit(organizationId, 100n * PRICE);

    const charges = await chargesOf(organizationId, vpsId);
    expect([...charges.keys()]).toEqual(chargeIds);
    expect(await h.balance(organizationId)).toBe(
      110n * PRICE - [...charges.values()].reduce((s, a) => s + a, 0n),
    );
    expect(await h.balance(organizationId)).toBe(100n * PRICE - debt);
    expect((await reconcile(organizationId, vpsId, billedUntil)).lines).toEqual([]);
  });
});
