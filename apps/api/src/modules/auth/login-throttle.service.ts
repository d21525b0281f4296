import { Inject, Injectable, Optional } from '@nestjs/common';

export const LOGIN_THROTTLE_OPTIONS = Symbol('LOGIN_THROTTLE_OPTIONS');

export interface LoginThrottleOptions {
  windowMs: number;
  /** Failed logins per account (email) per window. */
  maxFailuresPerAccount: number;
  /** Failed logins per client ip per window. */
  maxFailuresPerIp: number;
  /** Bound on tracked keys (memory), oldest dropped first. */
  maxKeys: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleOptions = {
  windowMs: 15 * 60_000,
  maxFailuresPerAccount: 5,
  maxFailuresPerIp: 20,
  maxKeys: 100_000,
};

/**
 * Failed-login counters per account and per ip, sliding window. In memory, per API process: with
 * several API instances each counts on its own (the limits multiply by the instance count) and a
 * restart forgets; a shared store (PostgreSQL/Redis) would fix both.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly options: LoginThrottleOptions;

  constructor(@Optional() @Inject(LOGIN_THROTTLE_OPTIONS) options?: Partial<LoginThrottleOptions>) {
    this.options = { ...DEFAULT_LOGIN_THROTTLE, ...(options ?? {}) };
  }

  private keys(email: string, ip: string): Array<[string, number]> {
    return [
      [`account:${email.trim().toLowerCase()}`, this.options.maxFailuresPerAccount],
      [`ip:${ip}`, this.options.maxFailuresPerIp],
    ];
  }

  private recent(key: string, now: number): number[] {
    const list = this.failures.get(key);
    if (!list) return [];
    const cutoff = now - this.options.windowMs;
    const kept = list.filter((t) => t > cutoff);
    if (kept.length === 0) this.failures.delete(key);
    else if (kept.length !== list.length) this.failures.set(key, kept);
    return kept;
  }

  /** Seconds until another attempt is allowed, or 0 when allowed now. */
  retryAfterSeconds(email: string, ip: string, now = Date.now()): number {
    let wait = 0;
    for (const [key, max] of this.keys(email, ip)) {
      const recent = this.recent(key, now);
      if (recent.length >= max) {
        const oldestThatCounts = recent[recent.length - max];
        wait = Math.max(wait, Math.ceil((oldestThatCounts + this.options.windowMs - now) / 1000));
      }
    }
    return wait;
  }

  recordFailure(email: string, ip: string, now = Date.now()): void {
    for (const [key] of this.keys(email, ip)) {
      const recent = this.recent(key, now);
      recent.push(now);
      this.failures.delete(key); // re-insert: Map order = least recently failed first
      this.failures.set(key, recent);
    }
    while (this.failures.size > this.options.maxKeys) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) break;
      this.failures.delete(oldest);
    }
  }

  /** A successful login clears the account's failures (not the ip's). */
  recordSuccess(email: string): void {
    this.failures.delete(`account:${email.trim().toLowerCase()}`);
  }
}
