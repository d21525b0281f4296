/**
 * Network transfer as the API sends it: bytes as exact decimal strings. Display only (the API bills); GB are
 * 10^9 bytes, as the provider counts them. Arithmetic stays on bigint.
 */
const GB = 1_000_000_000n;

/** "1234567890123" → "1,234.57 GB" (two decimals, rounded half-up; below 1 GB in MB, below 1 MB in bytes). */
export function formatBytes(bytes: string | bigint): string {
  const value = typeof bytes === 'bigint' ? bytes : BigInt(bytes);
  const [unit, size] =
    value >= GB
      ? ['GB', GB]
      : value >= 1_000_000n
        ? ['MB', 1_000_000n]
        : value >= 1_000n
          ? ['kB', 1_000n]
          : ['B', 1n];
  if (size === 1n) return `${value.toLocaleString('en-US')} B`;
  const hundredths = (value * 100n + size / 2n) / size;
  const whole = (hundredths / 100n).toLocaleString('en-US');
  return `${whole}.${(hundredths % 100n).toString().padStart(2, '0')} ${unit}`;
}

/** Exact bytes with thousands separators ("1,234,567,890,123 bytes"). */
export function exactBytes(bytes: string | bigint): string {
  return `${BigInt(bytes).toLocaleString('en-US')} bytes`;
}

/** Used over allowance in whole percent (display; 0 when there is no allowance), capped at 999. */
export function percentOf(used: string, allowance: string): number {
  const a = BigInt(allowance);
  if (a <= 0n) return 0;
  const percent = (BigInt(used) * 100n) / a;
  return Number(percent > 999n ? 999n : percent);
}
