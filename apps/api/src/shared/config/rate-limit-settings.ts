import {
  CONFIG_SCHEMA,
  parseRateLimit,
  type ConfigKey,
  type RateLimitRule,
  type VariableSpec,
} from '@stratus/infra';

export const RATE_LIMIT_SETTINGS = Symbol('RATE_LIMIT_SETTINGS');

/**
 * The request rate-limit policies. Every request counts against one subject policy (its API key, else its user,
 * else its client address); some routes count against a stricter policy too (see the RateLimit decorator).
 */
export const RATE_LIMIT_VARIABLES = {
  anonymous: 'RATE_LIMIT_ANONYMOUS',
  user: 'RATE_LIMIT_USER',
  apiKey: 'RATE_LIMIT_API_KEY',
  registration: 'RATE_LIMIT_REGISTRATION',
  organizationCreation: 'RATE_LIMIT_ORGANIZATION_CREATION',
  powerActions: 'RATE_LIMIT_POWER_ACTIONS',
  providerReads: 'RATE_LIMIT_PROVIDER_READS',
  tickets: 'RATE_LIMIT_TICKETS',
} as const satisfies Record<string, ConfigKey>;

export type RateLimitPolicyName = keyof typeof RATE_LIMIT_VARIABLES;
export type RateLimitSettings = Record<RateLimitPolicyName, RateLimitRule>;

function parsed(key: ConfigKey, value: string): RateLimitRule {
  const rule = parseRateLimit(value);
  if (!rule) throw new Error(`${key}: not a rate limit: ${value}`);
  return rule;
}

/** The policies from the validated environment (apiConfigFrom). */
export function rateLimitsFromEnvironment(
  valueOf: (key: ConfigKey) => string | undefined,
): Partial<RateLimitSettings> {
  const settings: Partial<RateLimitSettings> = {};
  for (const [name, key] of Object.entries(RATE_LIMIT_VARIABLES) as [RateLimitPolicyName, ConfigKey][]) {
    const value = valueOf(key);
    if (value !== undefined) settings[name] = parsed(key, value);
  }
  return settings;
}

/** `config.rateLimits` (the environment's, or a test's) over the schema's defaults. */
export function resolveRateLimitSettings(given: Partial<RateLimitSettings> = {}): RateLimitSettings {
  const entries = (Object.entries(RATE_LIMIT_VARIABLES) as [RateLimitPolicyName, ConfigKey][]).map(
    ([name, key]) => [name, given[name] ?? parsed(key, (CONFIG_SCHEMA[key] as VariableSpec).default!)],
  );
  return Object.fromEntries(entries) as RateLimitSettings;
}
