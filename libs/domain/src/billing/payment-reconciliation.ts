import { money } from '../money/money';
import { streamCategory } from '../shared/streams';
import {
  paymentCreditLedgerKey,
  paymentDebitChargeId,
  parsePaymentLedgerKey,
} from '../payment/payment.decider';

/**
 * Payment discrepancies: every capture is credited once with its amount, every refund and dispute debited once
 * with its amount (what the balance could not cover counts as the wallet's recorded debt), and the wallet holds
 * no payment credit or debit the payment streams do not explain.
 */
export const PAYMENT_DISCREPANCY_KINDS = [
  'missing_credit',
  'duplicate_credit',
  'credit_amount_mismatch',
  'orphan_credit',
  'missing_refund_debit',
  'missing_dispute_debit',
  'duplicate_debit',
  'debit_amount_mismatch',
  'orphan_debit',
] as const;
export type PaymentDiscrepancyKind = (typeof PAYMENT_DISCREPANCY_KINDS)[number];

/** How staff resolve a payment line: the payment's own credit or debit (same event ids: idempotent), or an adjustment. */
export type PaymentResolution = 'payment_credit' | 'payment_debit' | 'adjustment';
export function paymentResolutionOf(kind: string): PaymentResolution | null {
  switch (kind) {
    case 'missing_credit':
      return 'payment_credit';
    case 'missing_refund_debit':
    case 'missing_dispute_debit':
      return 'payment_debit';
    case 'duplicate_credit':
    case 'credit_amount_mismatch':
    case 'orphan_credit':
    case 'duplicate_debit':
    case 'debit_amount_mismatch':
    case 'orphan_debit':
      return 'adjustment';
    default:
      return null;
  }
}

/** A payment line before it is dressed as a ReconciliationLine. */
export interface PaymentLedgerLine {
  kind: PaymentDiscrepancyKind;
  organizationId: string;
  paymentId: string | null;
  /** The ledger key: `payment-capture:<captureId>` (credits) or the debit's charge id `payment-<id>:<refund/dispute id>`. */
  chargeId: string;
  /** When the capture, refund or dispute was recorded (for wallet events nothing explains: the first of them). */
  at: string;
  /** Net money taken from the wallet: a credit counts negative, so a capture expects −amount. */
  expected: bigint;
  charged: bigint;
  eventIds: string[];
}

interface LedgerEventLike {
  id: string;
  streamId: string;
  type: string;
  data: unknown;
  occurredAt: string;
}

/** What a payment stream says the wallet should have moved under one key. */
interface PaymentFact {
  paymentId: string;
  organizationId: string;
  kind: 'capture' | 'refund' | 'dispute';
  amount: bigint;
  at: string;
  eventId: string;
}

/** What the wallet moved under one key. */
interface WalletRecord {
  organizationId: string | null;
  paymentId: string | null;
  credits: number;
  /** Credits count negative, debits positive (debts too, until collected: then their collection counts). */
  taken: bigint;
  debits: number;
  debt: bigint | null;
  debtCollections: bigint;
  adjusted: bigint;
  firstAt: string | null;
  eventIds: string[];
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;
const amountOf = (data: Record<string, unknown>): bigint =>
  typeof data.amount === 'string' ? money(data.amount) : 0n;

/**
 * The payment half of the billing replay: payment-* streams and the wallet's payment credits, payment debits and
 * adjustments naming a payment key. One small record per key (a few per payment): a long history streams through.
 */
export class PaymentLedger {
  private readonly facts = new Map<string, PaymentFact>();
  private readonly wallet = new Map<string, WalletRecord>();

  constructor(
    private readonly from: number,
    private readonly to: number,
  ) {}

  /** Feeds one event; true when it was a payment's (payment stream or wallet payment entry). */
  add(event: LedgerEventLike): boolean {
    const category = streamCategory(event.streamId);
    if (category === 'payment') {
      this.addPaymentEvent(event);
      return true;
    }
    if (category === 'wallet') return this.addWalletEvent(event);
    return false;
  }

  private addPaymentEvent(event: LedgerEventLike): void {
    const data = asRecord(event.data);
    const paymentId = text(data.paymentId);
    const organizationId = text(data.organizationId);
    if (paymentId === null || organizationId === null) return;
    const fact = (key: string | null, kind: PaymentFact['kind']) => {
      if (key === null) return;
      this.facts.set(key, {
        paymentId,
        organizationId,
        kind,
        amount: amountOf(data),
        at: event.occurredAt,
        eventId: event.id,
      });
    };
    switch (event.type) {
      case 'PaymentCaptured': {
        const captureId = text(data.captureId);
        fact(captureId && paymentCreditLedgerKey(captureId), 'capture');
        break;
      }
      case 'PaymentRefunded': {
        const refundId = text(data.refundId);
        fact(refundId && paymentDebitChargeId(paymentId, refundId), 'refund');
        break;
      }
      case 'PaymentDisputed': {
        const disputeId = text(data.disputeId);
        fact(disputeId && paymentDebitChargeId(paymentId, disputeId), 'dispute');
        break;
      }
      default:
        break;
    }
  }

  private record(key: string): WalletRecord {
    let record = this.wallet.get(key);
    if (!record) {
      record = {
        organizationId: null,
        paymentId: null,
        credits: 0,
        taken: 0n,
        debits: 0,
        debt: null,
        debtCollections: 0n,
        adjusted: 0n,
        firstAt: null,
        eventIds: [],
      };
      this.wallet.set(key, record);
    }
    return record;
  }

  private addWalletEvent(event: LedgerEventLike): boolean {
    const data = asRecord(event.data);
    let key: string | null = null;
    let debtPart = false;
    switch (event.type) {
      case 'WalletCredited': {
        const reference = text(data.reference);
        if (data.source !== 'payment' || reference === null) return false;
        key = paymentCreditLedgerKey(reference);
        break;
      }
      case 'WalletCharged':
      case 'WalletDebtRecorded':
      case 'WalletChargeRefunded': {
        const parsed = parsePaymentLedgerKey(text(data.chargeId) ?? '');
        if (parsed === null || parsed.kind !== 'debit') return false;
        key = parsed.key;
        debtPart = parsed.debt;
        break;
      }
      case 'WalletAdjusted': {
        const chargeId = text(asRecord(data.subject).chargeId);
        if (chargeId === null || parsePaymentLedgerKey(chargeId) === null) return false;
        key = parsePaymentLedgerKey(chargeId)!.key;
        break;
      }
      default:
        return false;
    }
    const record = this.record(key);
    const parsed = parsePaymentLedgerKey(key);
    record.organizationId ??= text(data.organizationId);
    record.paymentId ??= parsed?.paymentId ?? (event.type === 'WalletCredited' ? text(data.paymentId) : null);
    record.firstAt ??= event.occurredAt;
    record.eventIds.push(event.id);
    const amount = amountOf(data);
    switch (event.type) {
      case 'WalletCredited':
        record.credits += 1;
        record.taken -= amount;
        break;
      case 'WalletCharged':
        if (debtPart) record.debtCollections += amount;
        else {
          record.debits += 1;
          record.taken += amount;
        }
        break;
      case 'WalletDebtRecorded':
        record.debt = amount;
        break;
      case 'WalletChargeRefunded':
        record.taken -= amount;
        break;
      case 'WalletAdjusted':
        record.adjusted += amount;
        break;
    }
    return true;
  }

  /** The lines of keys whose capture, refund or dispute (or, unexplained, first wallet entry) falls in the window. */
  lines(onlyOrganization: string | null): { lines: PaymentLedgerLine[]; payments: number } {
    const lines: PaymentLedgerLine[] = [];
    const payments = new Set<string>();
    for (const key of new Set([...this.facts.keys(), ...this.wallet.keys()])) {
      const fact = this.facts.get(key) ?? null;
      const record = this.wallet.get(key) ?? null;
      const organizationId = fact?.organizationId ?? record?.organizationId ?? null;
      const at = fact?.at ?? record?.firstAt ?? null;
      if (organizationId === null || at === null) continue;
      if (onlyOrganization !== null && organizationId !== onlyOrganization) continue;
      const instant = Date.parse(at);
      if (!(instant >= this.from && instant < this.to)) continue;
      const paymentId = fact?.paymentId ?? record?.paymentId ?? null;
      if (paymentId !== null) payments.add(paymentId);

      const credit = key.startsWith(paymentCreditLedgerKey(''));
      const expected = fact === null ? 0n : credit ? -fact.amount : fact.amount;
      // A debt counts as taken until collected; then its collection (one, or more: a double collection) counts.
      const debt =
        record === null ? 0n : record.debtCollections > 0n ? record.debtCollections : (record.debt ?? 0n);
      const charged = record === null ? 0n : record.taken + debt - record.adjusted;
      if (charged === expected) continue;
      lines.push({
        kind: this.classify(credit, fact, record),
        organizationId,
        paymentId,
        chargeId: key,
        at,
        expected,
        charged,
        eventIds: [...(fact ? [fact.eventId] : []), ...(record?.eventIds ?? [])],
      });
    }
    return { lines, payments: payments.size };
  }

  private classify(
    credit: boolean,
    fact: PaymentFact | null,
    record: WalletRecord | null,
  ): PaymentDiscrepancyKind {
    if (credit) {
      if (fact === null) return 'orphan_credit';
      if (record === null || (record.credits === 0 && record.adjusted === 0n)) return 'missing_credit';
      return record.credits > 1 ? 'duplicate_credit' : 'credit_amount_mismatch';
    }
    if (fact === null) return 'orphan_debit';
    if (
      record === null ||
      (record.debits === 0 && record.debt === null && record.debtCollections === 0n && record.adjusted === 0n)
    ) {
      return fact.kind === 'dispute' ? 'missing_dispute_debit' : 'missing_refund_debit';
    }
    return record.debits > 1 ? 'duplicate_debit' : 'debit_amount_mismatch';
  }
}
