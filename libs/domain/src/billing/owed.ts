import { money } from '../money/money';
import {
  canonicalInstant,
  chargeForElapsed,
  instantMillis,
  periodBounds,
  vpsChargeId,
} from '../catalog/pricing';
import type { VpsEvent } from '../vps/vps.events';

/** A server event with the instant it was recorded (the store's occurredAt). */
export interface TimedVpsEvent {
  event: VpsEvent;
  occurredAt: string;
}

export interface OwedPeriod {
  /** 'first_hour': prepaid at the request; 'period': a whole period, due at its end; 'final': prorated up to the deletion. */
  kind: 'first_hour' | 'period' | 'final';
  periodStart: string;
  periodEnd: string;
  /** Micro-dollars owed for the period (never 0: periods owing nothing are left out). */
  amount: bigint;
  /** The wallet charge id the billing workflow uses for this period (vpsChargeId). */
  chargeId: string;
  /** When it became due: the first hour at the request, a period at its end, the final charge at the deletion. */
  dueAt: string;
}

/**
 * What a server owes for the periods that fell due in [fromIso, toIso), from its events alone (not from the
 * charges made: reconciliation compares the two). The rules, which the billing workflow follows too:
 *
 * - The first hour (one whole period, hourlyPrice) is due at its start ([start, start + period), start =
 *   VpsFirstHourCharged.periodStart, else the request's occurredAt: firstHourStartOf). It is owed once charged
 *   (VpsFirstHourCharged) or once the server is active, and not when provisioning failed and it was refunded: a
 *   server that failed before its charge (funds drained, deleted while provisioning) owes nothing.
 *   A server never activated owes nothing more.
 * - From VpsActivated.billedUntil on, periods [billedUntil + k·period, billedUntil + (k+1)·period) are due at
 *   their end, for the time the server was billable in them: chargeForElapsed(hourlyPrice, billable, period).
 *   A period with no suspension costs hourlyPrice exactly.
 * - Hours stuck in provisioning are not billed: billing starts at the later of the first hour's end and the
 *   activation (VpsActivated.activatedAt, else its occurredAt). The workflow records billedUntil at that instant;
 *   activations recorded by older workflows (billedUntil = the first hour's end) owe nothing before it.
 * - No charge while suspended (VpsSuspended → VpsResumed, by occurredAt) nor after the deletion request.
 * - A completed resize or backups toggle (VpsOperationCompleted, at its occurredAt) changes the hourly price of
 *   the periods that start from then on (hourlyPriceAt); a period already started keeps the price it started at.
 * - The deletion (the earlier of VpsDeletionRequested's occurredAt and VpsDeleted.deletedAt) ends the last
 *   period early: its prorated charge ('final') is due at the deletion.
 *
 * `events` must be one server's stream in order.
 */
export function owedForServer(
  events: readonly TimedVpsEvent[],
  fromIso: string,
  toIso: string,
  periodSeconds: number,
): OwedPeriod[] {
  const from = instantMillis(fromIso, 'from');
  const to = instantMillis(toIso, 'to');
  requirePeriodSeconds(periodSeconds);
  return owedFromFacts(billingFactsOf(events), from, to, periodSeconds);
}

/** What a server's events say about billing, folded (small whatever the history: a streaming replay keeps one per server). */
export interface BillingFacts {
  vpsId: string | null;
  organizationId: string | null;
  /** The price at the request (the first hour's, and every period's until a price change). */
  hourlyPrice: bigint;
  /**
   * Completed resizes and backups toggles (VpsOperationCompleted), oldest first: from `at` (its occurredAt) on,
   * periods that START at or after it cost `hourlyPrice`; a period already started keeps its price.
   */
  priceChanges: { at: number; hourlyPrice: bigint }[];
  requestedAt: number | null;
  /** VpsFirstHourCharged.periodStart (older workflows started the first hour a moment after the request). */
  firstHourStart: number | null;
  /** When the server became active (VpsActivated.activatedAt, else its occurredAt): nothing is billable before. */
  activatedAt: number | null;
  refunded: boolean;
  billedUntil: number | null;
  /** The earlier of the deletion request's occurredAt and VpsDeleted.deletedAt. */
  endedAt: number | null;
  /** Suspension intervals [start, end) by occurredAt; end Infinity while still suspended. */
  suspensions: { start: number; end: number }[];
}

export function initialBillingFacts(): BillingFacts {
  return {
    vpsId: null,
    organizationId: null,
    hourlyPrice: 0n,
    priceChanges: [],
    requestedAt: null,
    firstHourStart: null,
    activatedAt: null,
    refunded: false,
    billedUntil: null,
    endedAt: null,
    suspensions: [],
  };
}

/** Folds one timed event into the facts (mutates and returns them). */
export function evolveBillingFacts(facts: BillingFacts, { event, occurredAt }: TimedVpsEvent): BillingFacts {
  const at = instantMillis(occurredAt, 'occurredAt');
  switch (event.type) {
    case 'VpsRequested':
      facts.vpsId = event.data.vpsId;
      facts.organizationId = event.data.organizationId;
      facts.hourlyPrice = money(event.data.hourlyPrice);
      facts.requestedAt = at;
      break;
    case 'VpsFirstHourCharged':
      facts.firstHourStart ??= instantMillis(event.data.periodStart, 'periodStart');
      break;
    case 'VpsActivated':
      facts.billedUntil = instantMillis(event.data.billedUntil, 'billedUntil');
      facts.activatedAt =
        event.data.activatedAt === undefined ? at : instantMillis(event.data.activatedAt, 'activatedAt');
      break;
    case 'VpsProvisioningFailed':
    case 'VpsProvisioningTerminated':
      facts.refunded = event.data.refunded;
      break;
    case 'VpsFirstHourRefunded':
      facts.refunded = true;
      break;
    case 'VpsSuspended':
      if (facts.suspensions.at(-1)?.end !== Infinity) facts.suspensions.push({ start: at, end: Infinity });
      break;
    case 'VpsResumed': {
      const open = facts.suspensions.at(-1);
      if (open && open.end === Infinity) open.end = at;
      break;
    }
    case 'VpsDeletionRequested':
      facts.endedAt ??= at;
      break;
    case 'VpsDeleted': {
      // The earlier of the two: the workflow bills up to min(request, handled), and a request recorded only at
      // the deletion itself (staff tooling) comes after the deletedAt the final charge used.
      const deletedAt = instantMillis(event.data.deletedAt, 'deletedAt');
      facts.endedAt = facts.endedAt === null ? deletedAt : Math.min(facts.endedAt, deletedAt);
      break;
    }
    case 'VpsOperationCompleted': {
      const operation = event.data.operation;
      // Only operations that change the price; the others (rename, rebuild, …) change nothing owed.
      if (operation.kind === 'resize' || operation.kind === 'backups') {
        facts.priceChanges.push({ at, hourlyPrice: money(operation.hourlyPrice) });
      }
      break;
    }
    default:
      break; // stages, instance, charges and power actions do not change what is owed
  }
  return facts;
}

export function billingFactsOf(events: Iterable<TimedVpsEvent>): BillingFacts {
  const facts = initialBillingFacts();
  for (const event of events) evolveBillingFacts(facts, event);
  return facts;
}

/**
 * Start of the first hour, hence its charge id (vpsChargeId): the one recorded as charged, else the request's
 * occurredAt, which is what the provisioning workflow charges (older workflows used their own clock, a moment
 * later, and recorded it in VpsFirstHourCharged).
 */
export function firstHourStartOf(facts: BillingFacts): number | null {
  if (facts.requestedAt === null) return null;
  return facts.firstHourStart ?? facts.requestedAt;
}

/** Whether the first hour is owed: charged or active, and not refunded. */
export function firstHourOwed(facts: BillingFacts): boolean {
  return !facts.refunded && (facts.firstHourStart !== null || facts.billedUntil !== null);
}

/** Milliseconds of [start, end) the server was active and not suspended. */
function billableMs(facts: BillingFacts, start: number, end: number): number {
  if (facts.activatedAt !== null) start = Math.max(start, facts.activatedAt);
  if (end <= start) return 0;
  let total = end - start;
  for (const s of facts.suspensions) total -= Math.max(0, Math.min(end, s.end) - Math.max(start, s.start));
  return Math.max(0, total);
}

/**
 * The hourly price in effect at `instant`: the latest price change at or before it, else the request's. A
 * change recorded during a period therefore applies from the next period boundary on.
 */
export function hourlyPriceAt(facts: BillingFacts, instant: number): bigint {
  let price = facts.hourlyPrice;
  for (const change of facts.priceChanges) {
    if (change.at > instant) break;
    price = change.hourlyPrice;
  }
  return price;
}

/**
 * The price of the period starting at `start`, billed up to `due` (its end, or the deletion): the billable
 * (not suspended) time in [start, due) at the hourly price in effect at `start` (hourlyPriceAt) per period. The
 * one rule both the billing workflow's activities and owedForServer (hence reconciliation) price periods by.
 */
export function priceOfPeriod(
  facts: BillingFacts,
  start: number,
  due: number,
  periodSeconds: number,
): bigint {
  return chargeForElapsed(hourlyPriceAt(facts, start), billableMs(facts, start, due) / 1000, periodSeconds);
}

/**
 * What the server owes for the period [periodStart, until) from its recorded events: `until` is the period's
 * end (chargePeriod) or the deletion (chargeFinalPeriod); billing stops at the recorded deletion if earlier.
 * 0 when the server was suspended the whole time (the caller then charges nothing).
 */
export function amountOwedFor(
  events: Iterable<TimedVpsEvent>,
  periodStartIso: string,
  untilIso: string,
  periodSeconds: number,
): bigint {
  return amountOwedFromFacts(billingFactsOf(events), periodStartIso, untilIso, periodSeconds);
}

/** amountOwedFor over already folded facts (a billing snapshot plus the events after it). */
export function amountOwedFromFacts(
  facts: BillingFacts,
  periodStartIso: string,
  untilIso: string,
  periodSeconds: number,
): bigint {
  requirePeriodSeconds(periodSeconds);
  const start = instantMillis(periodStartIso, 'periodStart');
  let due = Math.min(instantMillis(untilIso, 'until'), start + periodSeconds * 1000);
  if (facts.endedAt !== null) due = Math.min(due, facts.endedAt);
  if (due <= start) return 0n;
  return priceOfPeriod(facts, start, due, periodSeconds);
}

function requirePeriodSeconds(periodSeconds: number): void {
  if (!Number.isFinite(periodSeconds) || periodSeconds <= 0) {
    throw new RangeError('periodSeconds must be a positive number of seconds');
  }
}

/** owedForServer over already folded facts (due instants in [from, to)). */
export function owedFromFacts(
  facts: BillingFacts,
  from: number,
  to: number,
  periodSeconds: number,
): OwedPeriod[] {
  const periodMs = periodSeconds * 1000;
  const { vpsId, requestedAt, billedUntil, endedAt } = facts;
  // The first hour is prepaid at the request's price (no operation runs before activation).
  const hourlyPrice = facts.hourlyPrice;
  if (vpsId === null || requestedAt === null) return [];

  const owed: OwedPeriod[] = [];
  const inWindow = (due: number) => due >= from && due < to;
  const iso = (millis: number) => new Date(millis).toISOString();

  const firstHourStart = firstHourStartOf(facts) ?? requestedAt;
  if (firstHourOwed(facts) && inWindow(firstHourStart) && hourlyPrice > 0n) {
    const period = periodBounds(iso(firstHourStart), periodSeconds);
    owed.push({
      kind: 'first_hour',
      ...period,
      amount: hourlyPrice,
      chargeId: vpsChargeId(vpsId, period.periodStart),
      dueAt: period.periodStart,
    });
  }
  if (billedUntil === null) return owed;

  // Skip the periods that fell due before the window (cheap even for long histories).
  let k = Math.max(0, Math.floor((from - billedUntil) / periodMs) - 1);
  for (;;) {
    const start = billedUntil + k * periodMs;
    const end = start + periodMs;
    const ended = endedAt !== null && endedAt < end;
    if (ended && endedAt! <= start) break;
    const due = ended ? endedAt! : end;
    if (due >= to) break;
    if (due >= from) {
      const amount = priceOfPeriod(facts, start, due, periodSeconds);
      const periodStart = canonicalInstant(iso(start));
      if (amount > 0n) {
        owed.push({
          kind: ended ? 'final' : 'period',
          periodStart,
          periodEnd: iso(end),
          amount,
          chargeId: vpsChargeId(vpsId, periodStart),
          dueAt: iso(due),
        });
      }
    }
    if (ended) break;
    k += 1;
  }
  return owed;
}

/** Total micro-dollars of a list of owed periods. */
export function totalOwed(periods: readonly OwedPeriod[]): bigint {
  return periods.reduce((sum, period) => sum + period.amount, 0n);
}
