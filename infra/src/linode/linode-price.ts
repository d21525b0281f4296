import { formatMoney, MONEY_DECIMALS, MoneyString } from '@stratus/domain';

/**
 * Linode sends prices as JSON numbers (`"monthly": 5.0`, `"hourly": 0.0075`). JSON.parse has already made them
 * doubles; their shortest round-trip text (String(n)) is the literal Linode wrote for any price with up to 15
 * significant digits, so we read that text as a decimal — never multiplying the double. Sub-micro digits (none in
 * Linode's price list) are rounded half up to the micro.
 */
export function linodePriceToMicros(price: unknown): bigint {
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0)
    throw new RangeError(`not a price: ${String(price)}`);
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(price));
  if (!match) throw new RangeError(`not a price: ${String(price)}`);
  const [, whole, fraction = '', exponentText = '0'] = match;
  const exponent = Number(exponentText);
  // digits × 10^(exponent − fraction.length), as an exact decimal
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, '');
  const scale = MONEY_DECIMALS + exponent - fraction.length; // power of ten to reach micros
  if (scale >= 0) return BigInt(digits) * 10n ** BigInt(scale);
  const divisor = 10n ** BigInt(-scale);
  const value = BigInt(digits);
  const quotient = value / divisor;
  return (value % divisor) * 2n >= divisor ? quotient + 1n : quotient;
}

/** The price as Stratus money text: exactly 6 decimals ("5.000000"). */
export function linodePriceToMoney(price: unknown): MoneyString {
  return formatMoney(linodePriceToMicros(price));
}
