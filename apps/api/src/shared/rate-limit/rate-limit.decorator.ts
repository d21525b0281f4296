import { SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import type { OrganizationMembership } from '../auth/organization-access.service';
import type { RateLimitPolicyName } from '../config/rate-limit-settings';
import { addressKey } from './rate-limit-subject';

export const ROUTE_RATE_LIMITS = 'stratus:route-rate-limits';

type RateLimitedRequest = Request & { user?: AuthenticatedUser; membership?: OrganizationMembership };

/** A stricter policy for some routes, and whose allowance on it a request spends. */
export const ROUTE_POLICY_KEYS = {
  /** Per client address. */
  registration: (req: RateLimitedRequest) => addressKey(req.ip),
  /** Per user (an API key's requests spend its owner's). */
  organizationCreation: (req: RateLimitedRequest) => `user:${req.user?.userId ?? 'anonymous'}`,
  /**
   * Per server: each action calls the cloud provider with the platform's one token. Keyed by the organization the
   * route's guard admitted the caller to as well, so nobody spends another tenant's server's allowance by naming
   * its id under their own organization.
   */
  powerActions: (req: RateLimitedRequest) =>
    `vps:${req.membership?.organizationId ?? routeParam(req, 'orgId')}:${routeParam(req, 'vpsId')}`,
  /** Per server, like power actions: GET /backups and restores read the provider with the platform's token. */
  providerReads: (req: RateLimitedRequest) =>
    `vps:${req.membership?.organizationId ?? routeParam(req, 'orgId')}:${routeParam(req, 'vpsId')}`,
  /** Per user, console and live tickets together. */
  tickets: (req: RateLimitedRequest) => `user:${req.user?.userId ?? 'anonymous'}`,
} satisfies Partial<Record<RateLimitPolicyName, (req: RateLimitedRequest) => string>>;

export type RoutePolicyName = keyof typeof ROUTE_POLICY_KEYS;

function routeParam(req: Request, name: string): string {
  const value = req.params?.[name];
  return typeof value === 'string' ? value.toLowerCase().slice(0, 64) : '';
}

/**
 * `@RateLimit('powerActions')`: the route's requests also count against these policies (RATE_LIMIT_*), checked
 * after authentication and authorization (RateLimitInterceptor), so only requests the caller may make spend them:
 * nobody can use up another tenant's server cooldown.
 */
export const RateLimit = (...policies: RoutePolicyName[]) => SetMetadata(ROUTE_RATE_LIMITS, policies);
