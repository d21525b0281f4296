/** Display helpers for the staff area (money and times: `$lib/money`, `$lib/time` and their components). */

/** First 8 characters of a UUID, for tables (the full id is in the title and the link). */
export function shortId(id: string | null | undefined): string {
  if (!id) return '—';
  return id.length > 13 ? id.slice(0, 8) : id;
}

/** "2 h 5 min", "3 d 4 h", "45 s" between two instants (age of a workflow, lag of a checkpoint). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** The value a datetime-local input shows for an instant, in the browser's zone. */
export function toLocalInputValue(iso: string | null | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** A datetime-local value read in the browser's zone, as an ISO instant ('' when empty or invalid). */
export function fromLocalInputValue(value: string): string {
  if (!value) return '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : date.toISOString();
}

/** JSON for the event and state viewers: bigints and odd values never break the page. */
export function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2) ?? 'null';
  } catch {
    return String(value);
  }
}
