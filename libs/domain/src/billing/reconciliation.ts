import { formatMoney, money, type MoneyString } from '../money/money';
import { instantMillis, vpsChargeId } from '../catalog/pricing';
import { streamCategory } from '../shared/streams';
import type { VpsEvent } from '../vps/vps.events';
import type { WalletEvent } from '../wallet/wallet.events';
import { PAYMENT_DISCREPANCY_KINDS, PaymentLedger } from './payment-reconciliation';
import {
  evolveServerTransfer,
  parseTransferChargeId,
  transferMonthBill,
  transferMonthBounds,
  transferPriceAt,
  type ServerTransfer,
  type TimedTransferPrice,
  type TransferMeasured,
} from '../transfer/transfer';
import {
  evolveBillingFacts,
  firstHourStartOf,
  initialBillingFacts,
  owedFromFacts,
  type BillingFacts,
  type OwedPeriod,
} from './owed';

/**
 * Discrepancies: money charged that was not owed, or owed and not charged; for payments, a capture not credited
 * exactly once with its amount, a refund or dispute not debited exactly once (PAYMENT_DISCREPANCY_KINDS).
 */
export const DISCREPANCY_KINDS = [
  'missing_charge',
  'duplicate_charge',
  'wrong_amount',
  'charge_while_suspended',
  'charge_after_deletion',
  'refund_mismatch',
  ...PAYMENT_DISCREPANCY_KINDS,
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];
/**
 * Not billing errors, what the customer owes: `unpaid`, the wallet could not pay (WalletChargeFailed, never paid)
 * and billing still retries it; `debt`, left unpaid when the server was deleted and kept as the wallet's
 * outstanding debt (WalletDebtRecorded), which the next credit collects under the same charge id (the line then
 * goes away). Neither is resolved by a staff adjustment (that would take the money twice).
 */
export type ReconciliationLineKind = DiscrepancyKind | 'unpaid' | 'debt';
export const RECONCILIATION_LINE_KINDS: readonly ReconciliationLineKind[] = [
  ...DISCREPANCY_KINDS,
  'unpaid',
  'debt',
];

export function isDiscrepancyKind(kind: string): kind is DiscrepancyKind {
  return (DISCREPANCY_KINDS as readonly string[]).includes(kind);
}

export interface ReconciliationLine {
  /** Deterministic (chargeId and kind): the same problem has the same id in every run. */
  lineId: string;
  kind: ReconciliationLineKind;
  organizationId: string;
  /** The server of a period's line; null for a payment's line. */
  vpsId: string | null;
  /** The payment of a payment's line (null for a credit no payment explains, and for servers' lines). */
  paymentId?: string | null;
  /** A period's charge id, or a payment's ledger key (parsePaymentLedgerKey). */
  chargeId: string;
  /** The period; for a payment's line both are the instant its capture, refund or dispute was recorded. */
  periodStart: string;
  periodEnd: string;
  /** What the server's events say is owed; for a payment, what it should have moved (a credit counts negative). */
  expected: MoneyString;
  /** Charged, net of refunds and of staff adjustments referencing the charge (payment credits count negative). */
  charged: MoneyString;
  /** expected − charged: what the customer still owes (negative: overcharged). A resolution adjusts by −difference. */
  difference: MoneyString;
  /** Wallet (and failed-charge) event ids involved, in store order. */
  eventIds: string[];
}

export interface ReconciliationSummary {
  servers: number;
  /** Payments with a capture, refund, dispute or wallet entry in the window (absent in runs older than it). */
  payments?: number;
  lines: number;
  discrepancies: Record<DiscrepancyKind, number>;
  /** Lines the customer owes rather than billing errors: `unpaid` and `debt`. */
  unpaid: number;
  /** Of servers' periods only. */
  expectedTotal: MoneyString;
  chargedTotal: MoneyString;
}

export interface ReconciliationReport {
  from: string;
  to: string;
  organizationId: string | null;
  periodSeconds: number;
  summary: ReconciliationSummary;
  /** Ordered by organization, server, period start. */
  lines: ReconciliationLine[];
}

export interface ReconciliationOptions {
  /** Periods due in [from, to). */
  from: string;
  to: string;
  periodSeconds: number;
  /** Only this organization's servers and wallet. */
  organizationId?: string | null;
}

/** One stored event, as the replay reads it (the store's RecordedEvent fits). */
export interface LedgerEvent {
  id: string;
  streamId: string;
  type: string;
  data: unknown;
  occurredAt: string;
}

/** Everything recorded against one charge id; a few numbers and ids, whatever the history. */
interface ChargeRecord {
  chargeId: string;
  charges: bigint[];
  refunded: bigint;
  refunds: number;
  adjusted: bigint;
  failures: number;
  /** A WalletDebtRecorded names the charge: owed as the wallet's outstanding debt. */
  debt: boolean;
  final: boolean;
  periodEndHint: string | null;
  eventIds: string[];
}

/**
 * The usual record, one WalletCharged and nothing else, kept as "<micros>|<eventId>" under its period start:
 * a few dozen bytes per charge instead of an object, an array or two and the charge id string.
 */
type CompactCharge = string;

interface ServerState {
  facts: BillingFacts;
  organizationId: string | null;
  /** By period start (ms) for canonical charge ids ("vps-<id>:<Date#toISOString>"). */
  charges: Map<number, ChargeRecord | CompactCharge>;
  /** Charge ids in any other spelling, as they are. */
  otherCharges: Map<string, ChargeRecord>;
}

function newRecord(chargeId: string): ChargeRecord {
  return {
    chargeId,
    charges: [],
    refunded: 0n,
    refunds: 0,
    adjusted: 0n,
    failures: 0,
    debt: false,
    final: false,
    periodEndHint: null,
    eventIds: [],
  };
}

function expandCharge(compact: CompactCharge, chargeId: string): ChargeRecord {
  const bar = compact.indexOf('|');
  const record = newRecord(chargeId);
  record.charges.push(BigInt(compact.slice(0, bar)));
  record.eventIds.push(compact.slice(bar + 1));
  return record;
}

/** "vps-<vpsId>:<periodStart>" → its parts (null for charge ids of anything else). */
export function parseVpsChargeId(chargeId: string): { vpsId: string; periodStart: string } | null {
  if (!chargeId.startsWith('vps-')) return null;
  const colon = chargeId.indexOf(':');
  if (colon <= 4) return null;
  const periodStart = chargeId.slice(colon + 1);
  if (Number.isNaN(Date.parse(periodStart))) return null;
  return { vpsId: chargeId.slice(4, colon), periodStart };
}

/** FNV-1a 64-bit, hex: a short deterministic id without I/O or crypto. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= BigInt(text.charCodeAt(i));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

export function reconciliationLineId(chargeId: string, kind: ReconciliationLineKind): string {
  return `rl-${fnv1a64(`${chargeId}|${kind}`)}`;
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};

/**
 * Billing replay: feed every event of the history in store order (vps-*, wallet-* and payment-* streams; others
 * are ignored), then `report()`. Payments are checked by the PaymentLedger. Keeps per server only its billing facts and one small record per charge id whose
 * period can fall due in the window, so a long history streams through in bounded memory per server.
 *
 * Expected = owedForServer over [from, to). Charged = WalletCharged − WalletChargeRefunded − WalletAdjusted
 * whose subject names the charge (all of them, even recorded after `to`: a correction made later counts).
 */
export class BillingReplay {
  private readonly from: number;
  private readonly to: number;
  private readonly periodMs: number;
  private readonly servers = new Map<string, ServerState>();
  private readonly payments: PaymentLedger;
  /** Transfer months due in the window (their end in it), by `<organizationId>|<month>`: each server's month. */
  private readonly transferMonths = new Map<string, Map<string, ServerTransfer>>();
  /** The months' overage charges (`transfer-<org>:<month>`), by charge id. */
  private readonly transferCharges = new Map<string, ChargeRecord & { organizationId: string | null }>();
  private readonly transferPrices: TimedTransferPrice[] = [];

  constructor(private readonly options: ReconciliationOptions) {
    this.from = instantMillis(options.from, 'from');
    this.to = instantMillis(options.to, 'to');
    if (!Number.isFinite(options.periodSeconds) || options.periodSeconds <= 0) {
      throw new RangeError('periodSeconds must be a positive number of seconds');
    }
    this.periodMs = options.periodSeconds * 1000;
    this.payments = new PaymentLedger(this.from, this.to);
  }

  private server(vpsId: string): ServerState {
    let server = this.servers.get(vpsId);
    if (!server) {
      server = {
        facts: initialBillingFacts(),
        organizationId: null,
        charges: new Map(),
        otherCharges: new Map(),
      };
      this.servers.set(vpsId, server);
    }
    return server;
  }

  add(event: LedgerEvent): void {
    if (this.payments.add(event)) return;
    const category = streamCategory(event.streamId);
    if (category === 'vps') {
      const vpsId = event.streamId.slice(4);
      evolveBillingFacts(this.server(vpsId).facts, {
        event: { type: event.type, data: event.data } as VpsEvent,
        occurredAt: event.occurredAt,
      });
    } else if (category === 'wallet') {
      this.addWalletEvent(event);
    } else if (category === 'transfer' && event.type === 'TransferMeasured') {
      const measured = { type: event.type, data: event.data } as TransferMeasured;
      if (!this.transferMonthDue(measured.data.month)) return;
      const key = `${measured.data.organizationId}|${measured.data.month}`;
      const month = this.transferMonths.get(key) ?? new Map<string, ServerTransfer>();
      this.transferMonths.set(key, month);
      month.set(measured.data.vpsId, evolveServerTransfer(month.get(measured.data.vpsId) ?? null, measured));
    } else if (category === 'transferprice' && event.type === 'TransferPriceSet') {
      const data = asRecord(event.data);
      if (typeof data.pricePerGb === 'string') {
        this.transferPrices.push({ pricePerGb: money(data.pricePerGb), occurredAt: event.occurredAt });
      }
    }
  }

  /** Whether a transfer month falls due (ends) in the window: its overage is charged at its end. */
  private transferMonthDue(month: string): boolean {
    const { end } = transferMonthBounds(month);
    return end >= this.from && end < this.to;
  }

  /** A wallet event about a month's transfer overage charge. */
  private addTransferCharge(
    event: LedgerEvent,
    type: WalletEvent['type'],
    chargeId: string,
    month: string,
    data: Record<string, unknown>,
  ): void {
    if (!this.transferMonthDue(month)) return;
    const record = this.transferCharges.get(chargeId) ?? { ...newRecord(chargeId), organizationId: null };
    this.transferCharges.set(chargeId, record);
    if (record.organizationId === null && typeof data.organizationId === 'string') {
      record.organizationId = data.organizationId;
    }
    const amount = typeof data.amount === 'string' ? money(data.amount) : 0n;
    record.eventIds.push(event.id);
    switch (type) {
      case 'WalletCharged':
        record.charges.push(amount);
        break;
      case 'WalletChargeFailed':
        record.failures += 1;
        break;
      case 'WalletDebtRecorded':
        record.debt = true;
        break;
      case 'WalletChargeRefunded':
        record.refunded += amount;
        record.refunds += 1;
        break;
      case 'WalletAdjusted':
        record.adjusted += amount;
        break;
    }
  }

  /**
   * Each organization's transfer months due in the window: expected = transferMonthBill over its servers'
   * measurements at the price in effect at the month's end; charged = the month's charge id, as for a period.
   */
  private transferLines(
    onlyOrg: string | null,
  ): { line: ReconciliationLine | null; expected: bigint; charged: bigint }[] {
    const keys = new Set<string>(this.transferMonths.keys());
    for (const [chargeId, record] of this.transferCharges) {
      const parsed = parseTransferChargeId(chargeId)!;
      keys.add(`${record.organizationId ?? parsed.organizationId}|${parsed.month}`);
    }
    const out: { line: ReconciliationLine | null; expected: bigint; charged: bigint }[] = [];
    for (const key of keys) {
      const bar = key.lastIndexOf('|');
      const organizationId = key.slice(0, bar);
      const month = key.slice(bar + 1);
      if (onlyOrg !== null && organizationId !== onlyOrg) continue;
      const chargeId = `transfer-${organizationId}:${month}`;
      const servers = [...(this.transferMonths.get(key)?.values() ?? [])];
      const expected = transferMonthBill(month, servers, transferPriceAt(this.transferPrices, month)).amount;
      const record = this.transferCharges.get(chargeId) ?? null;
      const charged = record
        ? record.charges.reduce((sum, a) => sum + a, 0n) - record.refunded - record.adjusted
        : 0n;
      const { start, end } = transferMonthBounds(month);
      const kind = classifyCharge(record, expected, charged);
      out.push({
        line:
          kind === null
            ? null
            : {
                lineId: reconciliationLineId(chargeId, kind),
                kind,
                organizationId,
                vpsId: null,
                paymentId: null,
                chargeId,
                periodStart: new Date(start).toISOString(),
                periodEnd: new Date(end).toISOString(),
                expected: formatMoney(expected),
                charged: formatMoney(charged),
                difference: formatMoney(expected - charged),
                eventIds: record ? [...record.eventIds] : [],
              },
        expected,
        charged,
      });
    }
    return out;
  }

  private addWalletEvent(event: LedgerEvent): void {
    const type = event.type as WalletEvent['type'];
    if (
      type !== 'WalletCharged' &&
      type !== 'WalletChargeFailed' &&
      type !== 'WalletChargeRefunded' &&
      type !== 'WalletAdjusted' &&
      type !== 'WalletDebtRecorded'
    ) {
      return;
    }
    const data = asRecord(event.data);
    const subject = asRecord(data.subject);
    const chargeId =
      type === 'WalletAdjusted'
        ? typeof subject.chargeId === 'string'
          ? subject.chargeId
          : null
        : typeof data.chargeId === 'string'
          ? data.chargeId
          : null;
    if (chargeId === null) return; // credits and plain adjustments are not about a period
    const transfer = parseTransferChargeId(chargeId);
    if (transfer) return this.addTransferCharge(event, type, chargeId, transfer.month, data);
    const parsed = parseVpsChargeId(chargeId);
    if (!parsed) return;
    // A charge id names its period start; its due instant lies within one period of it.
    const start = Date.parse(parsed.periodStart);
    if (start + this.periodMs < this.from || start >= this.to) return;

    const server = this.server(parsed.vpsId);
    if (server.organizationId === null && typeof data.organizationId === 'string') {
      server.organizationId = data.organizationId;
    }
    const amount = typeof data.amount === 'string' ? money(data.amount) : 0n;
    let record: ChargeRecord;
    if (new Date(start).toISOString() === parsed.periodStart) {
      const stored = server.charges.get(start);
      if (stored === undefined && type === 'WalletCharged' && subject.final !== 'true') {
        server.charges.set(start, `${amount}|${event.id}`);
        return;
      }
      record =
        stored === undefined
          ? newRecord(chargeId)
          : typeof stored === 'string'
            ? expandCharge(stored, chargeId)
            : stored;
      server.charges.set(start, record);
    } else {
      record = server.otherCharges.get(chargeId) ?? newRecord(chargeId);
      server.otherCharges.set(chargeId, record);
    }
    record.eventIds.push(event.id);
    switch (type) {
      case 'WalletCharged':
        record.charges.push(amount);
        if (subject.final === 'true') record.final = true;
        if (typeof subject.periodEnd === 'string') record.periodEndHint = subject.periodEnd;
        break;
      case 'WalletChargeFailed':
        record.failures += 1;
        break;
      case 'WalletDebtRecorded':
        record.debt = true;
        break;
      case 'WalletChargeRefunded':
        record.refunded += amount;
        record.refunds += 1;
        break;
      case 'WalletAdjusted':
        record.adjusted += amount;
        break;
    }
  }

  report(): ReconciliationReport {
    const onlyOrg = this.options.organizationId ?? null;
    const lines: ReconciliationLine[] = [];
    const discrepancies = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as Record<
      DiscrepancyKind,
      number
    >;
    let unpaid = 0;
    let expectedTotal = 0n;
    let chargedTotal = 0n;
    let servers = 0;

    for (const [vpsId, server] of this.servers) {
      const { facts } = server;
      const organizationId = facts.organizationId ?? server.organizationId;
      if (organizationId === null) continue;
      if (onlyOrg !== null && organizationId !== onlyOrg) continue;
      // Wider than the window, so a charge id is matched with its period even when it was charged late.
      const owed = owedFromFacts(
        facts,
        this.from - this.periodMs,
        this.to + this.periodMs,
        this.periodMs / 1000,
      );
      const owedById = new Map<string, OwedPeriod>(owed.map((o) => [o.chargeId, o]));
      const inWindow = (millis: number) => millis >= this.from && millis < this.to;
      // This server's records in full (one server at a time, so only one server's are expanded at once).
      const records = new Map<string, ChargeRecord>(server.otherCharges);
      for (const [start, stored] of server.charges) {
        const chargeId = vpsChargeId(vpsId, new Date(start).toISOString());
        records.set(chargeId, typeof stored === 'string' ? expandCharge(stored, chargeId) : stored);
      }
      const chargeIds = new Set<string>([
        ...owed.filter((o) => inWindow(Date.parse(o.dueAt))).map((o) => o.chargeId),
        ...records.keys(),
      ]);
      let counted = false;
      for (const chargeId of chargeIds) {
        const period = owedById.get(chargeId) ?? null;
        const record = records.get(chargeId) ?? null;
        const due = period ? Date.parse(period.dueAt) : this.actualDue(facts, chargeId, record);
        if (!inWindow(due)) continue;
        counted = true;
        const expected = period?.amount ?? 0n;
        const charged = record
          ? record.charges.reduce((s, a) => s + a, 0n) - record.refunded - record.adjusted
          : 0n;
        expectedTotal += expected;
        chargedTotal += charged;
        const kind = this.classify(facts, chargeId, period, record, expected, charged);
        if (kind === null) continue;
        if (isDiscrepancyKind(kind)) discrepancies[kind] += 1;
        else unpaid += 1;
        const periodStart = period?.periodStart ?? parseVpsChargeId(chargeId)!.periodStart;
        lines.push({
          lineId: reconciliationLineId(chargeId, kind),
          kind,
          organizationId,
          vpsId,
          paymentId: null,
          chargeId,
          periodStart,
          periodEnd: period?.periodEnd ?? new Date(Date.parse(periodStart) + this.periodMs).toISOString(),
          expected: formatMoney(expected),
          charged: formatMoney(charged),
          difference: formatMoney(expected - charged),
          eventIds: record ? [...record.eventIds] : [],
        });
      }
      if (counted) servers += 1;
    }
    for (const { line, expected, charged } of this.transferLines(onlyOrg)) {
      expectedTotal += expected;
      chargedTotal += charged;
      if (line === null) continue; // charged as owed
      if (isDiscrepancyKind(line.kind)) discrepancies[line.kind] += 1;
      else unpaid += 1;
      lines.push(line);
    }
    const paid = this.payments.lines(onlyOrg);
    for (const line of paid.lines) {
      discrepancies[line.kind] += 1;
      lines.push({
        lineId: reconciliationLineId(line.chargeId, line.kind),
        kind: line.kind,
        organizationId: line.organizationId,
        vpsId: null,
        paymentId: line.paymentId,
        chargeId: line.chargeId,
        periodStart: line.at,
        periodEnd: line.at,
        expected: formatMoney(line.expected),
        charged: formatMoney(line.charged),
        difference: formatMoney(line.expected - line.charged),
        eventIds: line.eventIds,
      });
    }
    lines.sort(
      (a, b) =>
        cmp(a.organizationId, b.organizationId) ||
        cmp(a.vpsId ?? '', b.vpsId ?? '') ||
        cmp(a.paymentId ?? '', b.paymentId ?? '') ||
        cmp(a.periodStart, b.periodStart) ||
        cmp(a.kind, b.kind),
    );
    return {
      from: new Date(this.from).toISOString(),
      to: new Date(this.to).toISOString(),
      organizationId: onlyOrg,
      periodSeconds: this.periodMs / 1000,
      summary: {
        servers,
        payments: paid.payments,
        lines: lines.length,
        discrepancies,
        unpaid,
        expectedTotal: formatMoney(expectedTotal),
        chargedTotal: formatMoney(chargedTotal),
      },
      lines,
    };
  }

  /** When a charge nobody owed would have fallen due: the first hour at its start, a final charge at its subject's end, a period at its end. */
  private actualDue(facts: BillingFacts, chargeId: string, record: ChargeRecord | null): number {
    const start = Date.parse(parseVpsChargeId(chargeId)!.periodStart);
    if (this.isFirstHour(facts, chargeId)) return start;
    if (record?.final && record.periodEndHint !== null) {
      const end = Date.parse(record.periodEndHint);
      if (!Number.isNaN(end)) return end;
    }
    return start + this.periodMs;
  }

  private isFirstHour(facts: BillingFacts, chargeId: string): boolean {
    const start = firstHourStartOf(facts);
    return (
      facts.vpsId !== null &&
      start !== null &&
      chargeId === vpsChargeId(facts.vpsId, new Date(start).toISOString())
    );
  }

  private classify(
    facts: BillingFacts,
    chargeId: string,
    period: OwedPeriod | null,
    record: ChargeRecord | null,
    expected: bigint,
    charged: bigint,
  ): ReconciliationLineKind | null {
    const charges = record?.charges.length ?? 0;
    const refunds = record?.refunds ?? 0;
    if (charged === expected) return null;
    if (charges === 0 && refunds === 0 && (record?.adjusted ?? 0n) === 0n) {
      if (record?.debt) return 'debt';
      return (record?.failures ?? 0) > 0 ? 'unpaid' : 'missing_charge';
    }
    if (refunds > 0 || (facts.refunded && this.isFirstHour(facts, chargeId))) return 'refund_mismatch';
    if (charges > 1) return 'duplicate_charge';
    if (charges === 0) return 'wrong_amount';
    const start = Date.parse(parseVpsChargeId(chargeId)!.periodStart);
    if (facts.endedAt !== null && start >= facts.endedAt) return 'charge_after_deletion';
    const periodEnd = period ? Date.parse(period.dueAt) : start + this.periodMs;
    const suspendedInPeriod = facts.suspensions.some((s) => s.start < periodEnd && s.end > start);
    if (charged > expected && suspendedInPeriod) return 'charge_while_suspended';
    return 'wrong_amount';
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A charge that is not a server's period (a transfer month): what its record says is wrong, null when right. */
function classifyCharge(
  record: ChargeRecord | null,
  expected: bigint,
  charged: bigint,
): ReconciliationLineKind | null {
  if (charged === expected) return null;
  const charges = record?.charges.length ?? 0;
  const refunds = record?.refunds ?? 0;
  if (charges === 0 && refunds === 0 && (record?.adjusted ?? 0n) === 0n) {
    if (record?.debt) return 'debt';
    return (record?.failures ?? 0) > 0 ? 'unpaid' : 'missing_charge';
  }
  if (refunds > 0) return 'refund_mismatch';
  if (charges > 1) return 'duplicate_charge';
  return 'wrong_amount';
}

/** The replay over events already in memory (tests, small histories). */
export function reconcileBilling(
  options: ReconciliationOptions,
  events: Iterable<LedgerEvent>,
): ReconciliationReport {
  const replay = new BillingReplay(options);
  for (const event of events) replay.add(event);
  return replay.report();
}

/** An empty summary, to add organizations' summaries to. */
export function emptyReconciliationSummary(): ReconciliationSummary {
  return {
    servers: 0,
    payments: 0,
    lines: 0,
    discrepancies: Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as Record<
      DiscrepancyKind,
      number
    >,
    unpaid: 0,
    expectedTotal: formatMoney(0n),
    chargedTotal: formatMoney(0n),
  };
}

/** Two disjoint parts of a run (e.g. two organizations) as one summary. */
export function addReconciliationSummaries(
  a: ReconciliationSummary,
  b: ReconciliationSummary,
): ReconciliationSummary {
  const discrepancies = { ...a.discrepancies };
  for (const kind of DISCREPANCY_KINDS)
    discrepancies[kind] = (a.discrepancies[kind] ?? 0) + (b.discrepancies[kind] ?? 0);
  return {
    servers: a.servers + b.servers,
    payments: (a.payments ?? 0) + (b.payments ?? 0),
    lines: a.lines + b.lines,
    discrepancies,
    unpaid: a.unpaid + b.unpaid,
    expectedTotal: formatMoney(money(a.expectedTotal) + money(b.expectedTotal)),
    chargedTotal: formatMoney(money(a.chargedTotal) + money(b.chargedTotal)),
  };
}
