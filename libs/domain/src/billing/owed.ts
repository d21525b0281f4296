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
 * - The first hour (one whole period, hourlyPrice) is due when the server is requested
 *   ([requestedAt, requestedAt + period)); it is not owed when provisioning failed and it was refunded.
 *   A server never activated owes nothing more.
 * - From VpsActivated.billedUntil on, periods [billedUntil + k·period, billedUntil + (k+1)·period) are due at
 *   their end, for the time the server was billable in them: chargeForElapsed(hourlyPrice, billable, period).
 *   A period with no suspension costs hourlyPrice exactly.
 * - No charge while suspended (VpsSuspended → VpsResumed, by occurredAt) nor after the deletion request.
 * - The deletion (VpsDeletionRequested's occurredAt; VpsDeleted.deletedAt when there was no request) ends the
 *   last period early: its prorated charge ('final') is due at the deletion.
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
  if (!Number.isFinite(periodSeconds) || periodSeconds <= 0) {
    throw new RangeError('periodSeconds must be a positive number of seconds');
  }
  const periodMs = periodSeconds * 1000;

  let vpsId: string | null = null;
  let hourlyPrice = 0n;
  let requestedAt: number | null = null;
  let refunded = false;
  let billedUntil: number | null = null;
  let endedAt: number | null = null;
  /** Suspension intervals [start, end); end Infinity while still suspended. */
  const suspensions: { start: number; end: number }[] = [];

  for (const { event, occurredAt } of events) {
    const at = instantMillis(occurredAt, 'occurredAt');
    switch (event.type) {
      case 'VpsRequested':
        vpsId = event.data.vpsId;
        hourlyPrice = money(event.data.hourlyPrice);
        requestedAt = at;
        break;
      case 'VpsActivated':
        billedUntil = instantMillis(event.data.billedUntil, 'billedUntil');
        break;
      case 'VpsProvisioningFailed':
      case 'VpsProvisioningTerminated':
        refunded = event.data.refunded;
        break;
      case 'VpsSuspended':
        if (suspensions.at(-1)?.end !== Infinity) suspensions.push({ start: at, end: Infinity });
        break;
      case 'VpsResumed': {
        const open = suspensions.at(-1);
        if (open && open.end === Infinity) open.end = at;
        break;
      }
      case 'VpsDeletionRequested':
        endedAt ??= at;
        break;
      case 'VpsDeleted':
        endedAt ??= instantMillis(event.data.deletedAt, 'deletedAt');
        break;
      default:
        break; // stages, instance, charges and power actions do not change what is owed
    }
  }
  if (vpsId === null || requestedAt === null) return [];

  const owed: OwedPeriod[] = [];
  const inWindow = (due: number) => due >= from && due < to;
  const iso = (millis: number) => new Date(millis).toISOString();

  if (!refunded && inWindow(requestedAt) && hourlyPrice > 0n) {
    const period = periodBounds(iso(requestedAt), periodSeconds);
    owed.push({
      kind: 'first_hour',
      ...period,
      amount: hourlyPrice,
      chargeId: vpsChargeId(vpsId, period.periodStart),
      dueAt: period.periodStart,
    });
  }
  if (billedUntil === null) return owed;

  const billableMs = (start: number, end: number): number => {
    let total = end - start;
    for (const s of suspensions) total -= Math.max(0, Math.min(end, s.end) - Math.max(start, s.start));
    return Math.max(0, total);
  };
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
      const amount = chargeForElapsed(hourlyPrice, billableMs(start, due) / 1000, periodSeconds);
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
