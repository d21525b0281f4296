/**
 * Money as the API sends it: decimal strings of US dollars with up to 6 decimals ("12.345678", "-0.010958").
 * Arithmetic happens on bigint micro-dollars; numbers never hold money.
 */
const MICROS_PER_DOLLAR = 1_000_000n;
const DECIMAL = /^(-)?(\d+)(?:\.(\d{1,6}))?$/;

/** "12.345678" → 12345678n. Throws on anything that is not such a decimal string. */
export function toMicros(amount: string | bigint): bigint {
  if (typeof amount === 'bigint') return amount;
  const match = DECIMAL.exec(amount.trim());
  if (!match) throw new Error(`not a money amount: ${JSON.stringify(amount)}`);
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole) * MICROS_PER_DOLLAR + BigInt(fraction.padEnd(6, '0'));
  return sign ? -micros : micros;
}

/** 12345678n → "12.345678" (the API's format). */
export function fromMicros(micros: bigint): string {
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const text = `${abs / MICROS_PER_DOLLAR}.${(abs % MICROS_PER_DOLLAR).toString().padStart(6, '0')}`;
  return negative ? `-${text}` : text;
}

export function sumMicros(amounts: Iterable<string | bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += toMicros(amount);
  return total;
}

/** Rounds half away from zero to `decimals` (0..6) places, staying in micro-dollars. */
function roundMicros(micros: bigint, decimals: number): bigint {
  const step = 10n ** BigInt(6 - decimals);
  if (step === 1n) return micros;
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const rounded = ((abs + step / 2n) / step) * step;
  return negative ? -rounded : rounded;
}

export interface MoneyFormat {
  /** Decimal places shown: 2 for balances, up to 6 for hourly prices. Default 2. */
  decimals?: number;
  /** Show "+" on positive amounts (ledger entries). */
  signed?: boolean;
  /** Locale for digit grouping; default the runtime's. */
  locale?: string;
}

/** "1234.5" → "$1,234.50"; "-0.010958" with decimals 6 → "-$0.010958". */
export function formatMoney(amount: string | bigint, format: MoneyFormat = {}): string {
  const decimals = Math.min(6, Math.max(0, format.decimals ?? 2));
  const micros = roundMicros(toMicros(amount), decimals);
  const negative = micros < 0n;
  const abs = negative ? -micros : micros;
  const whole = new Intl.NumberFormat(format.locale ?? 'en-US', { useGrouping: true }).format(
    abs / MICROS_PER_DOLLAR,
  );
  const fraction = (abs % MICROS_PER_DOLLAR).toString().padStart(6, '0').slice(0, decimals);
  const text = `$${whole}${decimals > 0 ? `.${fraction}` : ''}`;
  if (negative) return `-${text}`;
  return format.signed && abs > 0n ? `+${text}` : text;
}

/** Smallest number of decimals (2..6) that shows the amount exactly: prices like 0.008219 need 6. */
export function naturalDecimals(amount: string | bigint): number {
  const micros = toMicros(amount);
  const fraction = (micros < 0n ? -micros : micros) % MICROS_PER_DOLLAR;
  const digits = fraction.toString().padStart(6, '0').replace(/0+$/, '').length;
  return Math.max(2, digits);
}
