/**
 * Money: bigint micro-units of USD in code, decimal strings in JSON ("12.345678").
 * CONTRACT (implementation and tests: domain helper).
 */
export type MoneyString = string;
export const MICROS_PER_DOLLAR = 1_000_000n;
