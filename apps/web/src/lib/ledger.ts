/**
 * Figures derived from the wallet's spend, in bigint micro-dollars. Spend is what charges took minus what refunds
 * gave back (the API sums it per hour); credits and adjustments are not spend.
 */
import { dayKey } from './time';
import { toMicros } from './money';

/** Spend in one UTC hour, as the API sums it (GET wallet/spend): charges minus refunds, decimal string. */
export interface SpendHour {
  hour: string;
  amount: string;
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
  hours: readonly SpendHour[],
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
  for (const hour of hours) {
    const day = index.get(dayKey(hour.hour, timeZone));
    if (day) day.micros += toMicros(hour.amount);
  }
  return out;
}
