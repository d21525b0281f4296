import {
  type CallHandler,
  type CanActivate,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request, Response } from 'express';
import { from, type Observable, switchMap } from 'rxjs';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { RATE_LIMIT_SETTINGS, type RateLimitSettings } from '../config/rate-limit-settings';
import { ApiError } from '../errors/api-error';
import { ROUTE_POLICY_KEYS, ROUTE_RATE_LIMITS, type RoutePolicyName } from './rate-limit.decorator';
import { POLICY_LABELS, rateLimitHeaders } from './rate-limit-headers';
import { rateLimitSubject } from './rate-limit-subject';
import { RateLimiter, type RateLimitCheck, type RateLimitOutcome } from './rate-limiter.service';

type LimitedRequest = Request & { user?: AuthenticatedUser; rateLimits?: RateLimitOutcome[] };

/**
 * Counts the request against `checks` in turn: every answer carries the RateLimit headers of the policies it
 * counted against, and the first refusal is a 429 with Retry-After (later checks are not spent).
 */
async function enforce(
  limiter: RateLimiter,
  req: LimitedRequest,
  res: Response,
  checks: RateLimitCheck[],
): Promise<void> {
  for (const check of checks) {
    const outcome = await limiter.consume(check);
    req.rateLimits = [...(req.rateLimits ?? []), outcome];
    const headers = rateLimitHeaders(req.rateLimits);
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
    if (!outcome.allowed) {
      const label = POLICY_LABELS[outcome.policy];
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests (${label}: ${outcome.rule.limit} per ${outcome.rule.periodSeconds} s); retry in ${outcome.retryAfterSeconds} s`,
        { policy: label, retryAfterSeconds: outcome.retryAfterSeconds },
        { 'Retry-After': String(outcome.retryAfterSeconds), ...headers },
      );
    }
  }
}

/**
 * Global guard, after the session guard: every request spends its subject's allowance (its API key's, its user's,
 * or its client address's; see rateLimitSubject), before any route guard, so requests refused by authorization
 * count too. One statement per request.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<LimitedRequest>();
    const subject = rateLimitSubject(req);
    await enforce(this.limiter, req, http.getResponse<Response>(), [
      { policy: subject.policy, key: subject.key, rule: this.settings[subject.policy] },
    ]);
    return true;
  }
}

/**
 * The stricter policies a route names with @RateLimit, checked after every guard: only requests the caller is
 * allowed to make spend them.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: RateLimiter,
    @Inject(RATE_LIMIT_SETTINGS) private readonly settings: RateLimitSettings,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const policies =
      context.getType() === 'http'
        ? (this.reflector.get<RoutePolicyName[] | undefined>(ROUTE_RATE_LIMITS, context.getHandler()) ?? [])
        : [];
    if (policies.length === 0) return next.handle();
    const http = context.switchToHttp();
    const req = http.getRequest<LimitedRequest>();
    const checks = policies.map((policy) => ({
      policy,
      key: ROUTE_POLICY_KEYS[policy](req),
      rule: this.settings[policy],
    }));
    return from(enforce(this.limiter, req, http.getResponse<Response>(), checks)).pipe(
      switchMap(() => next.handle()),
    );
  }
}
