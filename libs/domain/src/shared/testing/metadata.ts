import type { CommandMetadata } from '../decider';

export const NOW = '2026-01-01T00:00:00.000Z';

/** Command metadata for tests: a customer actor unless told otherwise. */
export function metadataFor(userId: string, role = 'customer'): CommandMetadata {
  return { now: NOW, actor: { userId, role } };
}
