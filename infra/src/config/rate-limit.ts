/**
 * A rate-limit setting as written in the environment: `<requests>/<period>`, the period in seconds, minutes or
 * hours (`600/1m`, `20/1h`, `3/60s`): at most that many requests in any such period, the whole allowance
 * usable at once (a burst) and given back evenly over the period.
 */
export interface RateLimitRule {
  limit: number;
  periodSeconds: number;
}

const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;
const RULE = /^([1-9]\d{0,6})\/([1-9]\d{0,5})([smh])$/;
/** Longest period accepted: a day (rows older than their period are pruned). */
const MAX_PERIOD_SECONDS = 86_400;

/** The rule, or null when the text is not one. */
export function parseRateLimit(value: string): RateLimitRule | null {
  const match = RULE.exec(value.trim());
  if (!match) return null;
  const periodSeconds = Number(match[2]) * UNIT_SECONDS[match[3] as keyof typeof UNIT_SECONDS];
  return periodSeconds <= MAX_PERIOD_SECONDS ? { limit: Number(match[1]), periodSeconds } : null;
}

export const isRateLimit = (value: string): string | null =>
  parseRateLimit(value)
    ? null
    : 'must be <requests>/<period> with the period in s, m or h and at most a day, such as 600/1m or 20/1h';
