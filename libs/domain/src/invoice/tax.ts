import { DomainError } from '../shared/decider';

/**
 * Tax rates are percentages with at most 2 decimals ("20", "7.25"), held as basis points of a percent
 * (hundredths: 20% = 2000, 7.25% = 725), so every computation stays in integers.
 */
export const TAX_RATE_SCALE = 10_000n;
const RATE_PATTERN = /^(100(?:\.0{1,2})?|[1-9]?[0-9](?:\.[0-9]{1,2})?)$/;
/** One cent in micro-dollars: the unit invoice taxes are rounded to. */
export const CENT_MICROS = 10_000n;

/** A staff-typed rate ("20", "7.25", "0") to basis points; 0 to 100 percent, at most 2 decimals. */
export function parseTaxRate(input: unknown, field = 'rate'): number {
  if (typeof input !== 'string' || !RATE_PATTERN.test(input)) {
    throw new DomainError(
      'validation',
      'invalid_tax_rate',
      `${field} must be a percentage from "0" to "100" with at most 2 decimals, such as "20" or "7.25"`,
      { field },
    );
  }
  const [whole, fraction = ''] = input.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

/** Basis points to the canonical percentage text: 2000 → "20.00", 725 → "7.25". */
export function formatTaxRate(basisPoints: number): string {
  return `${Math.trunc(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}`;
}

/** ISO 3166-1 alpha-2, upper case ("DE", "US"). */
export function parseCountryCode(input: unknown, field = 'country'): string {
  if (typeof input !== 'string' || !/^[A-Za-z]{2}$/.test(input.trim())) {
    throw new DomainError(
      'validation',
      'invalid_country',
      `${field} must be a two-letter ISO 3166-1 country code, such as "DE"`,
      { field },
    );
  }
  return input.trim().toUpperCase();
}

/** `numerator / denominator` (both >= 0) in micro-dollars, rounded half up to a whole cent. */
function roundToCentHalfUp(numerator: bigint, denominator: bigint): bigint {
  const unit = denominator * CENT_MICROS;
  return ((2n * numerator + unit) / (2n * unit)) * CENT_MICROS;
}

export interface TaxBreakdown {
  /** Before tax. */
  net: bigint;
  tax: bigint;
  /** What the customer pays: net + tax, exactly. */
  gross: bigint;
}

/**
 * The tax of a document, computed once on its total (never per line, so lines cannot accumulate rounding):
 * - prices include tax: `gross = amount`, `tax = amount × rate / (100% + rate)`, `net = gross − tax`;
 * - prices exclude tax: `net = amount`, `tax = amount × rate`, `gross = net + tax`.
 * The tax is rounded half up to a whole cent (amounts are never negative); net + tax == gross always.
 */
export function taxBreakdown(
  amount: bigint,
  rateBasisPoints: number,
  pricesIncludeTax: boolean,
): TaxBreakdown {
  if (amount < 0n) throw new Error('taxBreakdown expects a non-negative amount');
  if (!Number.isInteger(rateBasisPoints) || rateBasisPoints < 0 || rateBasisPoints > 10_000) {
    throw new Error(`taxBreakdown expects a rate of 0 to 10000 basis points, got ${rateBasisPoints}`);
  }
  const rate = BigInt(rateBasisPoints);
  if (pricesIncludeTax) {
    const tax = roundToCentHalfUp(amount * rate, TAX_RATE_SCALE + rate);
    return { net: amount - tax, tax, gross: amount };
  }
  const tax = roundToCentHalfUp(amount * rate, TAX_RATE_SCALE);
  return { net: amount, tax, gross: amount + tax };
}
