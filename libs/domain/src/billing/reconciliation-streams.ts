import { streams } from '../shared/streams';
import { parsePaymentLedgerKey } from '../payment/payment.decider';
import { transferMonthBounds, transferMonthOf } from '../transfer/transfer';
import {
  BillingReplay,
  parseVpsChargeId,
  type LedgerEvent,
  type ReconciliationOptions,
  type ReconciliationReport,
} from './reconciliation';

/** One stored event as a stream read returns it (the event store's RecordedEvent fits). */
export interface StoredLedgerEvent {
  id: string;
  streamId: string;
  type: string;
  data: unknown;
  revision: bigint;
  metadata: { occurredAt: string };
}

/** The reads an organization's replay needs (the EventStore port fits). */
export interface LedgerStreamReader {
  readStream(
    streamId: string,
    options: { fromRevision: bigint; maxCount: number },
  ): Promise<readonly StoredLedgerEvent[]>;
}

/** Events read per stream page. */
export const LEDGER_PAGE_SIZE = 1000;

/** A stream, page by page (never all of it in memory). */
export async function* readStreamPages(
  reader: LedgerStreamReader,
  streamId: string,
  pageSize = LEDGER_PAGE_SIZE,
): AsyncGenerator<readonly StoredLedgerEvent[]> {
  let from = 0n;
  for (;;) {
    const page = await reader.readStream(streamId, { fromRevision: from, maxCount: pageSize });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    from = page[page.length - 1].revision + 1n;
  }
}

const ledgerEvent = (event: StoredLedgerEvent): LedgerEvent => ({
  id: event.id,
  streamId: event.streamId,
  type: event.type,
  data: event.data,
  occurredAt: event.metadata.occurredAt,
});

/** The server a wallet event's charge id names (a charge, its refund or an adjustment referencing it). */
function chargedServerOf(data: unknown): string | null {
  const record = (data ?? {}) as { chargeId?: unknown; subject?: { chargeId?: unknown } | null };
  const chargeId = typeof record.chargeId === 'string' ? record.chargeId : record.subject?.chargeId;
  return typeof chargeId === 'string' ? (parseVpsChargeId(chargeId)?.vpsId ?? null) : null;
}

/**
 * The payment a wallet event names: a payment credit's own paymentId, or the payment of a debit (a refund's or
 * dispute's charge, its debt, an adjustment of it).
 */
function paymentNamedBy(data: unknown): string | null {
  const record = (data ?? {}) as {
    chargeId?: unknown;
    subject?: { chargeId?: unknown } | null;
    source?: unknown;
    paymentId?: unknown;
  };
  if (record.source === 'payment' && typeof record.paymentId === 'string') return record.paymentId;
  const chargeId = typeof record.chargeId === 'string' ? record.chargeId : record.subject?.chargeId;
  const key = typeof chargeId === 'string' ? parsePaymentLedgerKey(chargeId) : null;
  return key?.kind === 'debit' ? key.paymentId : null;
}

/** The streams an organization's replay reads besides its wallet (e.g. from the read models). */
export interface OrganizationStreams {
  servers: Iterable<string>;
  /**
   * Its payments (e.g. from a read model; needed for payments started before the organization's list of payments
   * existed). Those its list and its wallet's credits and debits name are read whether given here or not.
   */
  payments?: Iterable<string>;
}

/**
 * One organization's billing replay from its own streams only: its wallet, then each of its servers' streams
 * (`owned.servers`, e.g. from a read model, plus every server its wallet's charges name, so a server the read
 * model has not caught up with is still counted), then its payments' streams likewise (`owned.payments`, every
 * payment its list of payments `organizationpayments-<id>` names, and every payment its wallet's credits and debits
 * name). Memory holds this organization's servers, payments and charge records
 * of the window, whatever the size of the rest of the history.
 */
export async function replayOrganizationBilling(
  reader: LedgerStreamReader,
  options: Omit<ReconciliationOptions, 'organizationId'> & { organizationId: string },
  owned: OrganizationStreams,
  pageSize = LEDGER_PAGE_SIZE,
): Promise<ReconciliationReport & { eventsRead: number }> {
  const replay = new BillingReplay(options);
  const servers = new Set(owned.servers);
  const payments = new Set(owned.payments ?? []);
  let eventsRead = 0;
  for await (const page of readStreamPages(reader, streams.wallet(options.organizationId), pageSize)) {
    eventsRead += page.length;
    for (const event of page) {
      replay.add(ledgerEvent(event));
      const vpsId = chargedServerOf(event.data);
      if (vpsId !== null) servers.add(vpsId);
      const paymentId = paymentNamedBy(event.data);
      if (paymentId !== null) payments.add(paymentId);
    }
  }
  // Every payment the organization started (listed before its PaymentInitiated), credited or not.
  const listed = streams.organizationPayments(options.organizationId);
  for await (const page of readStreamPages(reader, listed, pageSize)) {
    eventsRead += page.length;
    for (const event of page) {
      const paymentId = (event.data as { paymentId?: unknown } | null)?.paymentId;
      if (typeof paymentId === 'string') payments.add(paymentId);
    }
  }
  const months = transferMonthsEndingIn(Date.parse(options.from), Date.parse(options.to));
  const others = [
    ...[...servers].sort().map((vpsId) => streams.vps(vpsId)),
    ...[...payments].sort().map((paymentId) => streams.payment(paymentId)),
    // The transfer months that end in the window (their overage falls due then), and the price they are billed at.
    ...(months.length > 0 ? [streams.transferPrice()] : []),
    ...[...servers].sort().flatMap((vpsId) => months.map((month) => streams.transfer(vpsId, month))),
  ];
  for (const streamId of others) {
    for await (const page of readStreamPages(reader, streamId, pageSize)) {
      eventsRead += page.length;
      for (const event of page) replay.add(ledgerEvent(event));
    }
  }
  return { ...replay.report(), eventsRead };
}

/** The most transfer months a window's replay reads (ten years): an unbounded window reads the latest ones. */
export const MAX_TRANSFER_MONTHS_PER_REPLAY = 120;

/** Months (UTC, YYYY-MM) whose end lies in [from, to): their transfer overage falls due in the window. */
export function transferMonthsEndingIn(from: number, to: number): string[] {
  const months: string[] = [];
  if (!(to > from)) return months;
  // The month ending at or just before `to`, backwards while its end is still at or after `from`.
  let month = transferMonthOf(Math.min(to, 8.64e15) - 1);
  for (;;) {
    const { start, end } = transferMonthBounds(month);
    if (end < to && end >= from) months.push(month);
    if (end < from || months.length >= MAX_TRANSFER_MONTHS_PER_REPLAY || start <= 0) break;
    month = transferMonthOf(start - 1);
  }
  return months.reverse();
}

/** Which organizations and servers a reconciliation reads (the read models' BillingDirectory fits). */
export interface ReconciliationDirectory {
  /** Up to `limit` organization ids after `after` (null: from the first), ascending. */
  organizationsAfter(after: string | null, limit: number): Promise<string[]>;
  /** The organization's server ids. */
  serversOf(organizationId: string): Promise<string[]>;
  /** The organization's payment ids (a wallet's payment debits name theirs too). */
  paymentsOf(organizationId: string): Promise<string[]>;
}

/** Organization ids asked of the directory at once. */
export const DIRECTORY_PAGE_SIZE = 100;

/**
 * The reconciliation organization by organization (replayOrganizationBilling), in id order after `after`: the
 * window's one organization, else every one the directory lists, page by page. Memory holds one organization's
 * replay at a time, whatever the size of the history. Without a directory only a window naming its organization
 * can run (its servers and payments are then those its wallet's charges and debits name).
 */
export async function* replayOrganizations(
  reader: LedgerStreamReader,
  directory: ReconciliationDirectory | null,
  window: Omit<ReconciliationOptions, 'organizationId'> & { organizationId: string | null },
  after: string | null = null,
): AsyncGenerator<{ organizationId: string; report: ReconciliationReport & { eventsRead: number } }> {
  const only = window.organizationId;
  if (only === null && directory === null) {
    throw new Error('a reconciliation of every organization needs the directory of organizations');
  }
  const replay = async (organizationId: string) => ({
    organizationId,
    report: await replayOrganizationBilling(
      reader,
      { from: window.from, to: window.to, periodSeconds: window.periodSeconds, organizationId },
      directory
        ? await Promise.all([directory.serversOf(organizationId), directory.paymentsOf(organizationId)]).then(
            ([servers, payments]) => ({ servers, payments }),
          )
        : { servers: [] },
    ),
  });
  if (only !== null) {
    if (after === null || only > after) yield await replay(only);
    return;
  }
  let cursor = after;
  for (;;) {
    const page = await directory!.organizationsAfter(cursor, DIRECTORY_PAGE_SIZE);
    for (const organizationId of page) yield await replay(organizationId);
    if (page.length < DIRECTORY_PAGE_SIZE) return;
    cursor = page[page.length - 1];
  }
}
