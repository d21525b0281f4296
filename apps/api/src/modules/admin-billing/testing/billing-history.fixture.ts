import {
  streams,
  vpsChargeId,
  vpsDecider,
  walletDecider,
  type Command,
  type Decider,
  type DomainEvent,
  type ReconciliationLineKind,
  type VpsCommand,
  type WalletCommand,
} from '@stratus/domain';
import type { EventStore } from '@stratus/eventstore';
import { billingWorkflowId, provisioningWorkflowId } from '@stratus/workflows';
import { v4 as uuidv4 } from 'uuid';

/** Test fixture: billing histories appended straight to the store, with the instants the workflows would record. */

const HOUR = 3_600_000;
const PRICE = 1_000_000n; // 1.000000 an hour, so amounts read easily
const iso = (millis: number) => new Date(millis).toISOString();

type CommandBody<C extends Command> = C extends Command ? Omit<C, 'metadata'> : never;

export class BillingHistoryWriter {
  constructor(private readonly store: EventStore) {}

  /** Decides against the stream as stored and appends the events as recorded at `at`. */
  async record<S, C extends Command, E extends DomainEvent>(
    streamId: string,
    decider: Decider<S, C, E>,
    command: CommandBody<C>,
    at: number,
  ): Promise<(E & { id: string })[]> {
    const stored = await this.store.readStream(streamId);
    const state = stored.reduce(
      (s, e) => decider.evolve(s, { type: e.type, data: e.data } as E),
      decider.initialState(),
    );
    const metadata = { now: iso(at), actor: { userId: 'system', role: 'system' } };
    const events = decider
      .decide({ ...command, metadata } as unknown as C, state)
      .map((e) => ({ ...e, id: uuidv4() }));
    if (events.length === 0) return [];
    await this.store.appendToStream(
      streamId,
      events.map((e) => ({
        id: e.id,
        type: e.type,
        data: e.data,
        metadata: {
          correlationId: 'billing-fixture',
          causationId: 'billing-fixture',
          actor: { userId: 'system', role: 'system' },
          occurredAt: iso(at),
          schemaVersion: 1,
        },
      })),
      { expectedRevision: stored.at(-1)?.revision ?? 'no_stream' },
    );
    return events;
  }

  vps(vpsId: string, command: CommandBody<VpsCommand>, at: number) {
    return this.record(streams.vps(vpsId), vpsDecider, command, at);
  }

  wallet(organizationId: string, command: CommandBody<WalletCommand>, at: number) {
    return this.record(streams.wallet(organizationId), walletDecider, command, at);
  }

  /** Opens the wallet unless it is open, then credits it. */
  async fund(organizationId: string, amount: bigint, at: number): Promise<void> {
    if ((await this.store.readStream(streams.wallet(organizationId), { maxCount: 1 })).length === 0) {
      await this.wallet(
        organizationId,
        { type: 'OpenWallet', data: { walletId: uuidv4(), organizationId } },
        at,
      );
    }
    await this.wallet(
      organizationId,
      { type: 'CreditWallet', data: { amount, source: 'staff_credit', reason: 'fixture' } },
      at,
    );
  }

  /** A period charge as the chargePeriod activity makes it; returns the WalletCharged/Failed event id. */
  async charge(
    organizationId: string,
    vpsId: string,
    periodStart: number,
    amount: bigint,
    at: number,
    extra: Record<string, string> = {},
  ): Promise<string> {
    const chargeId = vpsChargeId(vpsId, iso(periodStart));
    const [event] = await this.wallet(
      organizationId,
      {
        type: 'ChargeWallet',
        data: {
          chargeId,
          amount,
          description: `fixture ${chargeId}`,
          subject: { vpsId, periodStart: iso(periodStart), periodEnd: iso(periodStart + HOUR), ...extra },
        },
      },
      at,
    );
    return event.id;
  }

  /** Request, first hour, activation: what provisioning records. Returns billedUntil (ms). */
  async activeServer(organizationId: string, vpsId: string, requestedAt: number): Promise<number> {
    await this.vps(
      vpsId,
      {
        type: 'RequestVps',
        data: {
          vpsId,
          organizationId,
          label: `srv-${vpsId.slice(0, 8)}`,
          planId: 'plan-fixture',
          providerPlanId: 'g6-nanode-1',
          region: 'us-east',
          image: 'linode/debian12',
          backups: false,
          sshKeyIds: [],
          authorizedKeys: [],
          encryptedRootPassword: 'fixture',
          hourlyPrice: PRICE,
          monthlyPrice: 730n * PRICE,
          idempotencyKey: vpsId,
          workflowId: provisioningWorkflowId(vpsId),
        },
      },
      requestedAt,
    );
    // The workflow's clock starts the first hour a moment after the request was recorded.
    const firstHour = requestedAt + 150;
    const chargeId = vpsChargeId(vpsId, iso(firstHour));
    await this.charge(organizationId, vpsId, firstHour, PRICE, firstHour);
    await this.vps(
      vpsId,
      {
        type: 'RecordFirstHourCharged',
        data: { chargeId, amount: PRICE, periodStart: iso(firstHour), periodEnd: iso(firstHour + HOUR) },
      },
      firstHour + 10,
    );
    await this.vps(
      vpsId,
      { type: 'RecordInstanceCreated', data: { providerInstanceId: `i-${vpsId}` } },
      firstHour + 20,
    );
    const billedUntil = firstHour + HOUR;
    await this.vps(
      vpsId,
      {
        type: 'ActivateVps',
        data: {
          providerInstanceId: `i-${vpsId}`,
          ipv4: '192.0.2.10',
          billingWorkflowId: billingWorkflowId(vpsId),
          billedUntil: iso(billedUntil),
        },
      },
      firstHour + 60_000,
    );
    return billedUntil;
  }

  async deleteServer(organizationId: string, vpsId: string, billedUntil: number, requestedAt: number) {
    await this.vps(vpsId, { type: 'RequestDeletion', data: {} }, requestedAt);
    const amount = (PRICE * BigInt(requestedAt - billedUntil)) / BigInt(HOUR);
    await this.charge(organizationId, vpsId, billedUntil, amount, requestedAt + 50, {
      final: 'true',
      periodEnd: iso(requestedAt),
    });
    await this.vps(
      vpsId,
      {
        type: 'MarkDeleted',
        data: {
          finalChargeId: vpsChargeId(vpsId, iso(billedUntil)),
          finalCharge: amount,
          deletedAt: iso(requestedAt),
        },
      },
      requestedAt + 100,
    );
  }
}

export interface SeededScenario {
  from: string;
  to: string;
  cleanVpsId: string;
  faultyVpsId: string;
  refundVpsId: string;
  /** Expected lines: [kind, chargeId] in report order (faulty server, then refund server, by vps id). */
  expected: [ReconciliationLineKind, string][];
  /** The duplicate charge's two event ids. */
  duplicateEventIds: string[];
}

/**
 * Day `start` (ms, midnight): a clean server in `cleanOrg` (first hour, 5 periods, deletion with a prorated
 * final charge) and, in `faultyOrg`, a server with one of each billing error injected and a server whose
 * provisioning failed "refunded" without the refund. Both wallets are funded first.
 */
export async function seedBillingScenario(
  store: EventStore,
  cleanOrg: string,
  faultyOrg: string,
  start: number,
): Promise<SeededScenario> {
  const w = new BillingHistoryWriter(store);
  await w.fund(cleanOrg, 100n * PRICE, start);
  await w.fund(faultyOrg, 100n * PRICE, start);

  // Clean: every period charged at its end, deleted half way through the 6th.
  const cleanVpsId = uuidv4();
  const cleanBilled = await w.activeServer(cleanOrg, cleanVpsId, start + HOUR);
  for (let k = 0; k < 5; k++) {
    await w.charge(cleanOrg, cleanVpsId, cleanBilled + k * HOUR, PRICE, cleanBilled + (k + 1) * HOUR + 30);
    await w.vps(
      cleanVpsId,
      {
        type: 'RecordPeriodBilled',
        data: {
          chargeId: vpsChargeId(cleanVpsId, iso(cleanBilled + k * HOUR)),
          amount: PRICE,
          periodStart: iso(cleanBilled + k * HOUR),
          periodEnd: iso(cleanBilled + (k + 1) * HOUR),
        },
      },
      cleanBilled + (k + 1) * HOUR + 40,
    );
  }
  await w.deleteServer(cleanOrg, cleanVpsId, cleanBilled + 5 * HOUR, cleanBilled + 5 * HOUR + HOUR / 2);

  // Faulty: p0 twice, p1 missing, p2 half, suspended over p3–p4 (p3 charged anyway), p5 fine, p6 unpaid,
  // deleted half way through p7 (final charge right), then p8 charged after the deletion.
  const faultyVpsId = uuidv4();
  const b = await w.activeServer(faultyOrg, faultyVpsId, start + 2 * HOUR);
  const p = (k: number) => b + k * HOUR;
  const id = (k: number) => vpsChargeId(faultyVpsId, iso(p(k)));
  const first = await w.charge(faultyOrg, faultyVpsId, p(0), PRICE, p(1) + 30);
  const second = await w.charge(faultyOrg, faultyVpsId, p(0), PRICE, p(1) + 90); // another event id
  await w.charge(faultyOrg, faultyVpsId, p(2), PRICE / 2n, p(3) + 30);
  await w.vps(faultyVpsId, { type: 'SuspendVps', data: { debt: PRICE } }, p(3));
  await w.charge(faultyOrg, faultyVpsId, p(3), PRICE, p(4) + 30);
  await w.vps(faultyVpsId, { type: 'ResumeVps', data: {} }, p(5));
  await w.charge(faultyOrg, faultyVpsId, p(5), PRICE, p(6) + 30);
  // p6: the wallet could not pay (drained first by an adjustment), and nobody paid it later.
  await w.wallet(
    faultyOrg,
    { type: 'AdjustWallet', data: { amount: -1000n * PRICE, reason: 'drain' } },
    p(7) - 60,
  );
  await w.charge(faultyOrg, faultyVpsId, p(6), PRICE, p(7) + 30);
  await w.wallet(
    faultyOrg,
    { type: 'AdjustWallet', data: { amount: 1000n * PRICE, reason: 'refill' } },
    p(7) + 60,
  );
  await w.deleteServer(faultyOrg, faultyVpsId, p(7), p(7) + HOUR / 2);
  await w.charge(faultyOrg, faultyVpsId, p(8), PRICE, p(9) + 30);

  // Provisioning failed after the first hour was charged; the workflow says refunded, but no refund exists.
  const refundVpsId = uuidv4();
  await w.vps(
    refundVpsId,
    {
      type: 'RequestVps',
      data: {
        vpsId: refundVpsId,
        organizationId: faultyOrg,
        label: 'srv-failed',
        planId: 'plan-fixture',
        providerPlanId: 'g6-nanode-1',
        region: 'us-east',
        image: 'linode/debian12',
        backups: false,
        sshKeyIds: [],
        authorizedKeys: [],
        encryptedRootPassword: 'fixture',
        hourlyPrice: PRICE,
        monthlyPrice: 730n * PRICE,
        idempotencyKey: refundVpsId,
        workflowId: provisioningWorkflowId(refundVpsId),
      },
    },
    start + 3 * HOUR,
  );
  const refundFirstHour = start + 3 * HOUR + 150;
  await w.charge(faultyOrg, refundVpsId, refundFirstHour, PRICE, refundFirstHour);
  await w.vps(
    refundVpsId,
    {
      type: 'RecordFirstHourCharged',
      data: {
        chargeId: vpsChargeId(refundVpsId, iso(refundFirstHour)),
        amount: PRICE,
        periodStart: iso(refundFirstHour),
        periodEnd: iso(refundFirstHour + HOUR),
      },
    },
    refundFirstHour + 10,
  );
  await w.vps(
    refundVpsId,
    {
      type: 'FailProvisioning',
      data: { stage: 'creating_instance', reason: 'provider down', instanceDeleted: true, refunded: true },
    },
    refundFirstHour + 60_000,
  );

  const faultyLines: [ReconciliationLineKind, string][] = [
    ['duplicate_charge', id(0)],
    ['missing_charge', id(1)],
    ['wrong_amount', id(2)],
    ['charge_while_suspended', id(3)],
    ['unpaid', id(6)],
    ['charge_after_deletion', id(8)],
  ];
  const refundLines: [ReconciliationLineKind, string][] = [
    ['refund_mismatch', vpsChargeId(refundVpsId, iso(refundFirstHour))],
  ];
  return {
    from: iso(start),
    to: iso(start + 24 * HOUR),
    cleanVpsId,
    faultyVpsId,
    refundVpsId,
    expected: faultyVpsId < refundVpsId ? [...faultyLines, ...refundLines] : [...refundLines, ...faultyLines],
    duplicateEventIds: [first, second],
  };
}
