/**
 * Figures derived from the wallet's ledger, in bigint micro-dollars. Spend is what charges took minus what refunds
 * gave back; credits and adjustments are not spend.
 */
import { dayKey } from './time';
import { toMicros } from './money';

export interface LedgerEntry {
  type: string;
  amount: string;
  occurredAt: string;
}

const SPEND_TYPES = new Set(['WalletCharged', 'WalletChargeRefunded']);

export function isSpend(entry: LedgerEntry): boolean {
  return SPEND_TYPES.has(entry.type);
}

/** Spend of the entries at or after `since` (charges are negative amounts: spend is their negation). */
export function spendSince(entries: readonly LedgerEntry[], since: Date): bigint {
  let total = 0n;
  for (const entry of entries) {
    if (!isSpend(entry) || new Date(entry.occurredAt) < since) continue;
    total -= toMicros(entry.amount);
  }
  return total;
}

/** The first instant of the (UTC) month of `now`. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

function nextMonthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/** Month-to-date spend plus what the running servers will cost by the end of the month at their hourly prices. */
export function projectedMonthSpend(monthToDate: bigint, hourlyPrices: readonly string[], now: Date): bigint {
  const remainingHours = BigInt(Math.floor((nextMonthStart(now).getTime() - now.getTime()) / 3_600_000));
  let hourly = 0n;
  for (const price of hourlyPrices) hourly += toMicros(price);
  return monthToDate + hourly * remainingHours;
}

export interface DaySpend {
  day: string;
  micros: bigint;
}

/** Spend per calendar day (in `timeZone`) for the `days` days ending today, oldest first, zero days included. */
export function dailySpend(
  entries: readonly LedgerEntry[],
  days: number,
  now: Date,
  timeZone?: string,
): DaySpend[] {
  const out: DaySpend[] = [];
  const index = new Map<string, DaySpend>();
  for (let i = days - 1; i >= 0; i--) {
    const key = dayKey(new Date(now.getTime() - i * 86_400_000), timeZone);
    if (index.has(key)) continue;
    const day = { day: key, micros: 0n };
    index.set(key, day);
    out.push(day);
  }
  for (const entry of entries) {
    if (!isSpend(entry)) continue;
    const day = index.get(dayKey(entry.occurredAt, timeZone));
    if (day) day.micros -= toMicros(entry.amount);
  }
  return out;
}
