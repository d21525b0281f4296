import { DomainError } from '../shared/decider';

/**
 * Prices, in bigint micro-dollars, with exact integer arithmetic (never floats).
 *
 * Rounding rule, everywhere in this file: half-up to the micro-dollar, i.e. floor(x + 1/2) for x ≥ 0.
 * A plan's hourly price is its monthly price / 730 (the usual hosting month: 365 × 24 / 12 hours), so
 * $5.00/month is 5_000_000 / 730 = 6849.315… → 6849 micro-dollars an hour.
 */
export const HOURS_PER_MONTH = 730n;

/** The three monthly components of a plan's price (micro-dollars). */
export interface PlanPrices {
  baseMonthlyPrice: bigint;
  markup: bigint;
  backupUpcharge: bigint;
}

/** `{ backups }` or the bare boolean (both are accepted; the API passes the boolean). */
export type PriceOptions = { backups: boolean } | boolean;

const backupsOf = (options: PriceOptions): boolean =>
  typeof options === 'boolean' ? options : options.backups;

/** a / b rounded half-up, for a ≥ 0 and b > 0. */
export function divideHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError('divideHalfUp: the denominator must be positive');
  if (numerator < 0n) throw new RangeError('divideHalfUp: the numerator must not be negative');
  return (2n * numerator + denominator) / (2n * denominator);
}

/** Monthly price of a server on the plan: base + markup, plus the backup upcharge when backups are on. */
export function monthlyPriceOf(plan: PlanPrices, options: PriceOptions): bigint {
  return plan.baseMonthlyPrice + plan.markup + (backupsOf(options) ? plan.backupUpcharge : 0n);
}

/** Hourly price: monthly / 730, half-up to the micro-dollar. */
export function hourlyPriceOf(plan: PlanPrices, options: PriceOptions): bigint {
  return divideHalfUp(monthlyPriceOf(plan, options), HOURS_PER_MONTH);
}

/** Number or bigint seconds → bigint milliseconds (numbers may carry milliseconds; rounded to the ms). */
function toMillis(seconds: number | bigint, field: string): bigint {
  if (typeof seconds === 'bigint') return seconds * 1000n;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
    throw new RangeError(`${field} must be a finite number of seconds`);
  }
  return BigInt(Math.round(seconds * 1000));
}

/**
 * The price of `elapsedSeconds` of a period of `periodSeconds` at `hourlyPrice` per period:
 * hourlyPrice × elapsed / period, half-up, clamped to [0, hourlyPrice] (negative elapsed → 0, more than
 * a period → the whole period). Seconds may be fractional numbers (kept to the millisecond) or bigints.
 */
export function chargeForElapsed(
  hourlyPrice: bigint,
  elapsedSeconds: number | bigint,
  periodSeconds: number | bigint,
): bigint {
  if (hourlyPrice < 0n) throw new RangeError('chargeForElapsed: the price must not be negative');
  const period = toMillis(periodSeconds, 'periodSeconds');
  if (period <= 0n) throw new RangeError('chargeForElapsed: periodSeconds must be positive');
  const elapsed = toMillis(elapsedSeconds, 'elapsedSeconds');
  if (elapsed <= 0n) return 0n;
  if (elapsed >= period) return hourlyPrice;
  const charge = divideHalfUp(hourlyPrice * elapsed, period);
  return charge > hourlyPrice ? hourlyPrice : charge;
}

/** Date.parse of an ISO instant, or a validation error (the domain never reads the clock). */
export function instantMillis(iso: string, field = 'instant'): number {
  const millis = typeof iso === 'string' ? Date.parse(iso) : NaN;
  if (Number.isNaN(millis)) {
    throw new DomainError('validation', 'invalid_instant', `${field} must be an ISO-8601 instant`, {
      field,
    });
  }
  return millis;
}

/** The canonical form of an instant (`Date#toISOString`: UTC, milliseconds, 'Z'). */
export function canonicalInstant(iso: string, field = 'instant'): string {
  return new Date(instantMillis(iso, field)).toISOString();
}

/** `iso` plus a number of seconds, canonical ISO. */
export function addSeconds(iso: string, seconds: number): string {
  return new Date(instantMillis(iso) + seconds * 1000).toISOString();
}

/** Seconds from `fromIso` to `toIso` (negative when `to` is earlier), to the millisecond. */
export function secondsBetween(fromIso: string, toIso: string): number {
  return (instantMillis(toIso, 'to') - instantMillis(fromIso, 'from')) / 1000;
}

export interface BillingPeriod {
  /** Inclusive, canonical ISO. */
  periodStart: string;
  /** Exclusive, canonical ISO. */
  periodEnd: string;
}

function requirePeriodSeconds(periodSeconds: number): void {
  if (!Number.isFinite(periodSeconds) || periodSeconds <= 0) {
    throw new RangeError('periodSeconds must be a positive number of seconds');
  }
}

/** The next billing period after `billedUntilIso`: [billedUntil, billedUntil + periodSeconds). */
export function periodBounds(billedUntilIso: string, periodSeconds: number): BillingPeriod {
  requirePeriodSeconds(periodSeconds);
  const start = instantMillis(billedUntilIso, 'billedUntil');
  return {
    periodStart: new Date(start).toISOString(),
    periodEnd: new Date(start + periodSeconds * 1000).toISOString(),
  };
}

/**
 * The whole periods that ended by `nowIso`, starting at `billedUntilIso`, oldest first (at most `limit`,
 * so a long outage cannot produce an unbounded batch).
 */
export function duePeriods(
  billedUntilIso: string,
  nowIso: string,
  periodSeconds: number,
  limit = 1000,
): BillingPeriod[] {
  requirePeriodSeconds(periodSeconds);
  const now = instantMillis(nowIso, 'now');
  const periods: BillingPeriod[] = [];
  let period = periodBounds(billedUntilIso, periodSeconds);
  while (periods.length < limit && Date.parse(period.periodEnd) <= now) {
    periods.push(period);
    period = periodBounds(period.periodEnd, periodSeconds);
  }
  return periods;
}

/**
 * The wallet charge id of a server's period ("vps-<id>:<periodStart>"), deterministic so retries are no-ops.
 * The final prorated charge on deletion uses the id of the period it falls in, so a period is paid at most once.
 */
export function vpsChargeId(vpsId: string, periodStart: string): string {
  return `${vpsChargeIdPrefix(vpsId)}${periodStart}`;
}

/** What every wallet charge id of a server starts with (vpsChargeId): finds its charges in a wallet. */
export function vpsChargeIdPrefix(vpsId: string): string {
  return `vps-${vpsId}:`;
}
