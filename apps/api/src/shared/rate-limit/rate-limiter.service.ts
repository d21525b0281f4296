import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { RateLimitRule } from '@stratus/infra';
import type { ProjectionsOrm } from '@stratus/projections';
import type { RateLimitPolicyName } from '../config/rate-limit-settings';
import { PROJECTIONS_ORM } from '../read-models/tokens';
import { schedulePruning } from './pruning';

/** One request counted against one policy's key. */
export interface RateLimitCheck {
  policy: RateLimitPolicyName;
  /** Whose allowance: `user:<id>`, `key:<id>`, `ip:<address>`, `vps:<id>`… (namespaced by the policy). */
  key: string;
  rule: RateLimitRule;
}

export interface RateLimitOutcome {
  policy: RateLimitPolicyName;
  rule: RateLimitRule;
  allowed: boolean;
  /** Requests still allowed right now after this one. */
  remaining: number;
  /** Seconds until the whole allowance is back. */
  resetSeconds: number;
  /** Seconds until the next request would be allowed (0 when one is allowed now). */
  retryAfterSeconds: number;
}

/**
 * Request rate limits in PostgreSQL, shared by every API instance: the generic cell rate algorithm (GCRA). Each
 * key keeps one timestamp, `tat`, when its allowance is whole again; a request moves it on by period/limit and is
 * allowed while that stays within one period from now. So `limit` requests may come at once, then one every
 * period/limit: no window edge where twice the limit passes. One upsert per check: the row lock orders racing
 * requests and each sees the one before it, so parallel requests never get more than the rule grants.
 */
@Injectable()
export class RateLimiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RateLimiter');
  private stopPruning: (() => void) | null = null;

  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  onModuleInit(): void {
    this.stopPruning = schedulePruning(() => this.prune(), this.logger, 'rate limits');
  }

  onModuleDestroy(): void {
    this.stopPruning?.();
  }

  async consume(check: RateLimitCheck): Promise<RateLimitOutcome> {
    const { limit, periodSeconds } = check.rule;
    // Whole microseconds (PostgreSQL's resolution), rounded down: `limit` requests at once always fit a period.
    const emission = Math.floor((periodSeconds * 1e6) / limit) / 1e6;
    // `excluded.tat` is now + emission (this request alone); the row's new tat is the later of that and the
    // stored tat + emission, allowed while it is within a period of now.
    const [row] = await this.orm.em.getConnection().execute<{ allowed: boolean; ahead: number }[]>(
      `with clock as (select clock_timestamp() as now)
       insert into rate_limits as r (key, tat, allowed)
       select ?, clock.now + make_interval(secs => ?::float8), true from clock
       on conflict (key) do update set
         allowed = greatest(r.tat + make_interval(secs => ?::float8), excluded.tat)
           <= excluded.tat + make_interval(secs => ?::float8),
         tat = case
           when greatest(r.tat + make_interval(secs => ?::float8), excluded.tat)
             <= excluded.tat + make_interval(secs => ?::float8)
           then greatest(r.tat + make_interval(secs => ?::float8), excluded.tat)
           else r.tat end
       returning allowed, extract(epoch from tat - (select now from clock))::float8 as ahead`,
      [
        `${check.policy}:${check.key}`,
        emission,
        emission,
        periodSeconds - emission,
        emission,
        periodSeconds - emission,
        emission,
      ],
    );
    const ahead = Math.max(0, Number(row.ahead));
    return {
      policy: check.policy,
      rule: check.rule,
      allowed: row.allowed,
      remaining: row.allowed ? Math.max(0, Math.floor((periodSeconds - ahead) / emission + 1e-6)) : 0,
      resetSeconds: Math.ceil(ahead),
      retryAfterSeconds: row.allowed ? 0 : Math.max(1, Math.ceil(ahead + emission - periodSeconds)),
    };
  }

  /** Forgets keys whose allowance is whole again (they behave exactly as keys never seen). */
  async prune(): Promise<number> {
    const deleted = await this.orm.em
      .getConnection()
      .execute<{ n: number }[]>(
        'with gone as (delete from rate_limits where tat <= clock_timestamp() returning 1) select count(*)::int as n from gone',
      );
    return deleted[0]?.n ?? 0;
  }
}
