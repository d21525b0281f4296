import { DomainError } from '../shared/decider';

/**
 * Money: bigint micro-units of USD in code, decimal strings in JSON ("12.345678").
 *
 * Accepted syntax (parseMoney and money): an optional '-', then the integer part, then optionally
 * '.' and 1 to 6 decimals. Deliberately rejected, because each is ambiguous or lossy somewhere:
 * JS numbers (floats and integers alike: JSON numbers lose precision), leading '+', whitespace,
 * exponents ("1e3"), a bare "." or ".5" or "5.", more than 6 decimals (even "1.0000000"),
 * leading zeros in the integer part ("00.1", "007": octal in some readers, not canonical),
 * and negative zero ("-0", "-0.000000": a sign that means nothing).
 */
export type MoneyString = string;
export const MICROS_PER_DOLLAR = 1_000_000n;
export const MONEY_DECIMALS = 6;
/** Default bound on |amount| accepted from input: 1,000,000,000.000000 USD. */
export const MAX_MONEY_MICROS = 1_000_000_000n * MICROS_PER_DOLLAR;

/** Long enough for any amount inside the bound; longer input is rejected before any parsing. */
const MAX_INPUT_LENGTH = 32;
/** Stored balances are not bounded by the input limit, but a sanity cap keeps the regex cheap. */
const MAX_TRUSTED_LENGTH = 64;
const MONEY_PATTERN = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]{1,6}))?$/;

export interface ParseMoneyOptions {
  /** Accept negative amounts (signed adjustments). Default false. */
  allowNegative?: boolean;
  /** Accept zero. Default false: an amount of nothing is almost always a mistake. */
  allowZero?: boolean;
  /** Largest accepted absolute value in micros. Default MAX_MONEY_MICROS. */
  max?: bigint;
  /** Name of the field, used in the message and details. Default 'amount'. */
  field?: string;
}

function describeInput(input: unknown): string {
  if (typeof input === 'string')
    return input.length > 40 ? `${JSON.stringify(input.slice(0, 40))}…` : JSON.stringify(input);
  if (typeof input === 'number') return `the number ${String(input)}`;
  if (typeof input === 'bigint') return `the bigint ${input.toString()}`;
  return input === null ? 'null' : typeof input;
}

function invalidAmount(
  field: string,
  input: unknown,
  problem: string,
  extra: Record<string, unknown> = {},
): DomainError {
  return new DomainError('validation', 'invalid_amount', `${field} ${problem}; got ${describeInput(input)}`, {
    field,
    value: typeof input === 'string' ? input.slice(0, 40) : describeInput(input),
    ...extra,
  });
}

/** Strict syntax only; no sign, zero or bound policy. Returns null when the text is not a money string. */
function parseSyntax(input: string, maxLength = MAX_TRUSTED_LENGTH): bigint | null {
  if (input.length === 0 || input.length > maxLength) return null;
  const match = MONEY_PATTERN.exec(input);
  if (!match) return null;
  const [, sign, whole, fraction = ''] = match;
  const magnitude = BigInt(whole) * MICROS_PER_DOLLAR + BigInt(fraction.padEnd(MONEY_DECIMALS, '0'));
  if (sign === '-' && magnitude === 0n) return null; // negative zero
  return sign === '-' ? -magnitude : magnitude;
}

/**
 * Parse an amount that came from outside (request body, query string) into micros.
 * Throws DomainError('validation', 'invalid_amount', ...) for anything but a decimal string within policy.
 */
export function parseMoney(input: unknown, options: ParseMoneyOptions = {}): bigint {
  const field = options.field ?? 'amount';
  const max = options.max ?? MAX_MONEY_MICROS;
  if (typeof input !== 'string') {
    throw invalidAmount(
      field,
      input,
      'must be a decimal string such as "12.50" (JSON numbers lose precision)',
    );
  }
  if (input.length > MAX_INPUT_LENGTH) throw invalidAmount(field, input, 'is too long');
  const micros = parseSyntax(input, MAX_INPUT_LENGTH);
  if (micros === null) {
    throw invalidAmount(
      field,
      input,
      'must be a decimal string with at most 6 decimals, no sign other than a leading "-", no exponent, no spaces and no leading zeros',
    );
  }
  if (micros < 0n && !options.allowNegative) throw invalidAmount(field, input, 'must not be negative');
  if (micros === 0n && !options.allowZero) throw invalidAmount(field, input, 'must not be zero');
  const magnitude = micros < 0n ? -micros : micros;
  if (magnitude > max) {
    throw invalidAmount(field, input, `must not exceed ${formatMoney(max)} in absolute value`, {
      max: formatMoney(max),
    });
  }
  return micros;
}

/**
 * Decode a trusted money string (stored events, snapshots, constants in tests): same strict syntax,
 * any sign, zero allowed, no bound. Throws a plain Error on malformed text: that is corrupt data, not a client mistake.
 */
export function money(value: MoneyString): bigint {
  const micros = typeof value === 'string' ? parseSyntax(value) : null;
  if (micros === null) throw new Error(`Malformed money string: ${describeInput(value)}`);
  return micros;
}

/** True when `value` is a string in the accepted syntax (any sign, zero, no bound). */
export function isMoneyString(value: unknown): value is MoneyString {
  return typeof value === 'string' && parseSyntax(value) !== null;
}

/** Micros to the canonical decimal string: always 6 decimals ("12.340000", "-0.000001", "0.000000"). */
export function formatMoney(micros: bigint): MoneyString {
  if (typeof micros !== 'bigint') throw new TypeError(`formatMoney expects a bigint, got ${typeof micros}`);
  const negative = micros < 0n;
  const magnitude = negative ? -micros : micros;
  const whole = magnitude / MICROS_PER_DOLLAR;
  const fraction = (magnitude % MICROS_PER_DOLLAR).toString().padStart(MONEY_DECIMALS, '0');
  return `${negative ? '-' : ''}${whole.toString()}.${fraction}`;
}

export function sumMoney(amounts: Iterable<bigint>): bigint {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}

export function absMoney(micros: bigint): bigint {
  return micros < 0n ? -micros : micros;
}

export function minMoney(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxMoney(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}
