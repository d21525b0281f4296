/**
 * Decimal money strings ("12.345678", "-3.5") to bigint micro-dollars.
 * Private to the projections until `parseMoney` lands in @stratus/domain; events are validated by the
 * deciders, so a malformed amount here is a bug and fails the batch loudly rather than guessing.
 */
const MONEY = /^(-)?(\d+)(?:\.(\d{1,6}))?$/;

export function parseMicros(text: string): bigint {
  const match = MONEY.exec(text);
  if (!match) throw new Error(`Malformed money string in event data: ${JSON.stringify(text)}`);
  const [, sign, whole, fraction = ''] = match;
  const micros = BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
  return sign ? -micros : micros;
}
