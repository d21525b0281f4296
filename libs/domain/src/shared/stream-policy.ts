/**
 * How a stream kind is loaded and written by the command executor (libs/eventstore): one policy per kind,
 * defined beside its decider. A kind without one folds every event and uses the default retry policy.
 */
export interface StreamPolicy<S> {
  /** Long streams fold from a snapshot of their state instead of from their first event. */
  snapshots?: SnapshotPolicy<S>;
  /** Losing an optimistic-concurrency race reloads and decides again, this many times at most. */
  retry?: RetryPolicy;
}

export interface SnapshotPolicy<S> {
  /** Take a new snapshot once this many events were appended since the last one. */
  every: number;
  /** Shape version of the snapshot; snapshots of another version are ignored (folded from the start). */
  schemaVersion: number;
  toSnapshot(state: S): unknown;
  /** Throws on a snapshot it cannot read (the executor then folds every event). */
  fromSnapshot(data: unknown): S;
}

export interface RetryPolicy {
  /** Total attempts, the first included. */
  maxAttempts: number;
  /** Backoff before attempt n (n >= 2) is random in [0, min(maxDelayMs, baseDelayMs * 2^(n-2))] ("full jitter"). */
  baseDelayMs: number;
  maxDelayMs: number;
}

/**
 * Eight attempts, at most ~0.8 s of backoff in all: enough for the workers' bursts (every server of an
 * organization charged on the same period boundary, one wallet stream) and still well inside an HTTP request.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 10,
  maxDelayMs: 250,
});
