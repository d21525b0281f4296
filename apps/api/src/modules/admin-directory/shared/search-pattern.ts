/** Case-insensitive "contains" pattern for ILIKE: the user's % and _ are literal, not wildcards. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Search text as typed: trimmed, inner whitespace collapsed; empty means "everything, newest first". */
export function normalizeQuery(q: string | undefined): string {
  return (q ?? '').trim().replace(/\s+/g, ' ');
}

export const DEFAULT_DIRECTORY_LIMIT = 25;
export const MAX_DIRECTORY_LIMIT = 100;
