/** What replaces a sensitive value in every admin view and export. */
export const REDACTED = '[redacted]';

/** Keys whose values never leave the server: password hashes, secrets, tokens, recovery codes, ciphertexts. */
const SENSITIVE_KEY = /passw(?:or)?d|secret|token|recovery.?code|encrypted|private.?key/i;

export function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEY.test(key);
}

/**
 * A deep copy of a JSON-like value with every sensitive key's value replaced by "[redacted]",
 * at any depth (arrays included). The input is not modified.
 */
export function redact<T>(value: T): T {
  return redactValue(value) as T;
}

function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactValue);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redactValue(inner);
  }
  return out;
}
