import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import type { ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import { schedulePruning } from '../../../shared/rate-limit/pruning';

export const AUTH_THROTTLE_OPTIONS = Symbol('AUTH_THROTTLE_OPTIONS');

/**
 * One key's attempts: the first `free` pass at once; from then on each attempt makes the next one wait,
 * `baseDelayMs` doubling with every attempt up to `maxDelayMs` (a delay, never a lockout). After
 * `resetAfterMs` without an attempt the key starts over.
 */
export interface ThrottleRule {
  free: number;
  baseDelayMs: number;
  maxDelayMs: number;
  resetAfterMs: number;
}

export interface AuthThrottleOptions {
  /** Sign-in attempts per account (email), from any address. */
  loginAccount: ThrottleRule;
  /** Failed sign-ins per client address (the visitor's, through TRUST_PROXY). */
  loginAddress: ThrottleRule;
  /** Verification mails per user. */
  verificationResend: ThrottleRule;
  /** Password reset mails per account (email), and per client address. */
  passwordResetAccount: ThrottleRule;
  passwordResetAddress: ThrottleRule;
}

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

export const DEFAULT_AUTH_THROTTLE: AuthThrottleOptions = {
  loginAccount: { free: 5, baseDelayMs: 2 * SECOND, maxDelayMs: 5 * MINUTE, resetAfterMs: 15 * MINUTE },
  loginAddress: { free: 20, baseDelayMs: 15 * MINUTE, maxDelayMs: 15 * MINUTE, resetAfterMs: 15 * MINUTE },
  verificationResend: { free: 1, baseDelayMs: MINUTE, maxDelayMs: HOUR, resetAfterMs: 24 * HOUR },
  passwordResetAccount: { free: 1, baseDelayMs: MINUTE, maxDelayMs: HOUR, resetAfterMs: 24 * HOUR },
  passwordResetAddress: { free: 20, baseDelayMs: HOUR, maxDelayMs: HOUR, resetAfterMs: HOUR },
};

/** A granted attempt, to be given back (release) when it turns out not to count, e.g. a right password. */
export interface Reservation {
  key: string;
  rule: ThrottleRule;
}

export function tooManyAttempts(retryAfterSeconds: number, message: string): ApiError {
  return new ApiError(
    429,
    'too_many_attempts',
    message,
    { retryAfterSeconds },
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

/** Milliseconds the attempt numbered `attempts` (SQL expression) makes the next one wait. */
function delaySql(attempts: string, rule: ThrottleRule): string {
  const free = Math.max(1, Math.floor(rule.free));
  return `(case when ${attempts} < ${free} then 0
    else least(${Math.floor(rule.baseDelayMs)}::float8 * power(2, least(${attempts} - ${free}, 40)), ${Math.floor(rule.maxDelayMs)}::float8) end)`;
}

/**
 * Attempt counters in PostgreSQL, shared by every API instance. An attempt is reserved by one atomic
 * upsert that succeeds only when the key's delay has passed, so parallel requests cannot run more attempts
 * than the rule grants (the row lock serializes them); a refused reservation changes nothing. Times are
 * clock_timestamp(), not now(): a request that waited on the row lock must compare against the time it got
 * the row, not its statement's start, or it would find the winner's "allowed from" in its future and be refused
 * within its free attempts.
 */
@Injectable()
export class AuthThrottle implements OnModuleInit, OnModuleDestroy {
  readonly options: AuthThrottleOptions;
  private readonly logger = new Logger('AuthThrottle');
  private stopPruning: (() => void) | null = null;

  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Optional() @Inject(AUTH_THROTTLE_OPTIONS) options?: Partial<AuthThrottleOptions>,
  ) {
    this.options = { ...DEFAULT_AUTH_THROTTLE, ...(options ?? {}) };
  }

  onModuleInit(): void {
    this.stopPruning = schedulePruning(() => this.prune(), this.logger, 'sign-in attempt counters');
  }

  onModuleDestroy(): void {
    this.stopPruning?.();
  }

  /**
   * Forgets keys that no longer hold anything back: no delay pending, and no attempt for longer than any rule's
   * reset (such a key starts over anyway). Returns how many.
   */
  async prune(): Promise<number> {
    const resetAfterMs = Math.max(...Object.values(this.options).map((rule) => rule.resetAfterMs));
    const [row] = await this.orm.em.getConnection().execute<{ n: number }[]>(
      `with gone as (
         delete from auth_throttle
         where next_allowed_at <= clock_timestamp()
           and last_attempt_at <= clock_timestamp() - make_interval(secs => ?::float8)
         returning 1)
       select count(*)::int as n from gone`,
      [resetAfterMs / 1000],
    );
    return row?.n ?? 0;
  }

  /** Reserves an attempt: the reservation, or the seconds to wait before the next one is granted. */
  async reserve(key: string, rule: ThrottleRule): Promise<Reservation | { retryAfterSeconds: number }> {
    const reset = `t.last_attempt_at <= clock_timestamp() - make_interval(secs => ${Math.floor(rule.resetAfterMs) / 1000})`;
    const next = `(case when ${reset} then 1 else t.attempts + 1 end)`;
    const connection = this.orm.em.getConnection();
    const granted = await connection.execute<{ attempts: number }[]>(
      `insert into auth_throttle as t (key, attempts, last_attempt_at, next_allowed_at)
       values (?, 1, clock_timestamp(), clock_timestamp() + make_interval(secs => ${delaySql('1', rule)} / 1000))
       on conflict (key) do update set
         attempts = ${next},
         last_attempt_at = clock_timestamp(),
         next_allowed_at = clock_timestamp() + make_interval(secs => ${delaySql(next, rule)} / 1000)
       where t.next_allowed_at <= clock_timestamp() or ${reset}
       returning t.attempts`,
      [key],
    );
    if (granted.length > 0) return { key, rule };
    const [row] = await connection.execute<{ wait: number | null }[]>(
      'select extract(epoch from next_allowed_at - clock_timestamp())::float8 as wait from auth_throttle where key = ?',
      [key],
    );
    return { retryAfterSeconds: Math.max(1, Math.ceil(Number(row?.wait ?? 1))) };
  }

  /** Reserves an attempt on each key in turn, or throws 429 (giving back what it had reserved). */
  async reserveAll(keys: ReadonlyArray<[string, ThrottleRule]>, message: string): Promise<Reservation[]> {
    const reserved: Reservation[] = [];
    for (const [key, rule] of keys) {
      const result = await this.reserve(key, rule);
      if ('retryAfterSeconds' in result) {
        await this.release(reserved);
        throw tooManyAttempts(result.retryAfterSeconds, message);
      }
      reserved.push(result);
    }
    return reserved;
  }

  /** Gives reserved attempts back: they did not count (the key's delay is recomputed from what is left). */
  async release(reservations: readonly Reservation[]): Promise<void> {
    for (const { key, rule } of reservations) {
      await this.orm.em.getConnection().execute(
        `update auth_throttle as t set
           attempts = greatest(t.attempts - 1, 0),
           next_allowed_at = case when t.attempts - 1 < ${Math.max(1, Math.floor(rule.free))}
             then clock_timestamp() else t.next_allowed_at end
         where key = ?`,
        [key],
      );
    }
  }

  /** Forgets a key (a right password clears its account's count). */
  async clear(key: string): Promise<void> {
    await this.orm.em.getConnection().execute('delete from auth_throttle where key = ?', [key]);
  }
}

/** Throttle keys: one namespace per rule, emails normalized as registration stores them. */
export const throttleKeys = {
  loginAccount: (email: string) => `login-account:${email.trim().toLowerCase()}`,
  loginAddress: (ip: string) => `login-address:${ip}`,
  verificationResend: (userId: string) => `verify-resend:${userId}`,
  passwordResetAccount: (email: string) => `reset-account:${email.trim().toLowerCase()}`,
  passwordResetAddress: (ip: string) => `reset-address:${ip}`,
};
