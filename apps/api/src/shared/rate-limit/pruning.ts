import type { Logger } from '@nestjs/common';

/** How often an API instance deletes rows that no longer limit anything (every instance may; it is idempotent). */
export const PRUNE_INTERVAL_MS = 10 * 60_000;

/** Runs `prune` every PRUNE_INTERVAL_MS (never twice at once, never keeping the process alive); returns the stop. */
export function schedulePruning(prune: () => Promise<unknown>, logger: Logger, what: string): () => void {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    running ??= prune()
      .catch((error: unknown) => logger.warn(`pruning ${what} failed: ${String(error)}`))
      .finally(() => (running = null));
  }, PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
