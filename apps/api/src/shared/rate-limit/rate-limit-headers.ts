import type { RateLimitPolicyName } from '../config/rate-limit-settings';
import type { RateLimitOutcome } from './rate-limiter.service';

/** The policies' names in the headers and error details. */
export const POLICY_LABELS: Readonly<Record<RateLimitPolicyName, string>> = {
  anonymous: 'anonymous',
  user: 'user',
  apiKey: 'api-key',
  registration: 'registration',
  organizationCreation: 'organization-creation',
  powerActions: 'power-actions',
  providerReads: 'provider-reads',
  tickets: 'tickets',
};

/**
 * The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) for the policies a request counted
 * against: `RateLimit-Policy: "user";q=600;w=60` (quota, window in seconds) and `RateLimit: "user";r=599;t=1`
 * (remaining, seconds until the whole quota is back), one list item per policy.
 */
export function rateLimitHeaders(outcomes: readonly RateLimitOutcome[]): Record<string, string> {
  if (outcomes.length === 0) return {};
  const label = (outcome: RateLimitOutcome) => `"${POLICY_LABELS[outcome.policy]}"`;
  return {
    'RateLimit-Policy': outcomes
      .map((o) => `${label(o)};q=${o.rule.limit};w=${o.rule.periodSeconds}`)
      .join(', '),
    RateLimit: outcomes.map((o) => `${label(o)};r=${o.remaining};t=${o.resetSeconds}`).join(', '),
  };
}
