import { WrongExpectedRevisionError } from '@stratus/eventstore';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Backoff before attempt n (n >= 2) is random in [0, min(maxDelayMs, baseDelayMs * 2^(n-2))] ("full jitter"). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  baseDelayMs: 10,
  maxDelayMs: 200,
});

/** Raised when every attempt lost the race; the filter answers 409 `{ error: 'conflict' }`. */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`Stream ${streamId} kept changing concurrently; gave up after ${attempts} attempts`);
  }
}

export interface RetryDependencies {
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (attempt < 2) return 0;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
  return Math.floor(random() * ceiling);
}

/**
 * Runs `attempt` (load, decide, append with the expected revision) until it does not lose an
 * optimistic-concurrency race. Each retry starts from a fresh load, so the decision is re-made
 * against the state that won. Any other error is rethrown at once.
 */
export async function retryOnConflict<T>(
  streamId: string,
  attempt: (attemptNumber: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  deps: RetryDependencies = {},
): Promise<T> {
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  for (let n = 1; ; n++) {
    if (n > 1) await sleep(backoffDelay(n, policy, random));
    try {
      return await attempt(n);
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (n >= policy.maxAttempts) throw new ConcurrencyConflictError(streamId, n);
    }
  }
}
