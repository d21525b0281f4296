import {
  BillingReplay,
  DomainError,
  instantMillis,
  RECONCILIATION_LINE_KINDS,
  streamCategory,
  type ReconciliationLine,
  type ReconciliationReport,
} from '@stratus/domain';
import type { EventStore, Position } from '@stratus/eventstore';

/** The longest window one run may cover. */
export const MAX_RECONCILIATION_DAYS = 366;
/** Events read per readAll page. */
export const REPLAY_PAGE_SIZE = 1000;

export interface ReplayWindow {
  from: string;
  to: string;
  organizationId: string | null;
}

/** A strict ISO-8601 instant with a time and a zone (a bare date or "tomorrow" is refused). */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Checks a window (shared by the API and the CLI): both ISO instants, from < to, at most 366 days.
 * Returns them canonical; throws DomainError('validation') naming the field.
 */
export function parseReplayWindow(from: unknown, to: unknown): { from: string; to: string } {
  const instant = (value: unknown, field: 'from' | 'to'): number => {
    if (typeof value !== 'string' || !ISO_INSTANT.test(value)) {
      throw new DomainError(
        'validation',
        'invalid_instant',
        `${field} must be an ISO-8601 instant such as 2026-11-01T00:00:00Z`,
        { field },
      );
    }
    const millis = instantMillis(value, field);
    // Date.parse rolls 2026-02-30 over to March: a day the calendar does not have is refused.
    const [year, month, day] = value.slice(0, 10).split('-').map(Number);
    const calendar = new Date(Date.UTC(year, month - 1, day));
    if (calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) {
      throw new DomainError('validation', 'invalid_instant', `${field} is not a calendar date`, { field });
    }
    return millis;
  };
  const start = instant(from, 'from');
  const end = instant(to, 'to');
  if (start >= end) {
    throw new DomainError('validation', 'invalid_window', 'from must be before to', { field: 'to' });
  }
  if (end - start > MAX_RECONCILIATION_DAYS * 86_400_000) {
    throw new DomainError(
      'validation',
      'window_too_long',
      `A reconciliation covers at most ${MAX_RECONCILIATION_DAYS} days`,
      { field: 'to', maxDays: MAX_RECONCILIATION_DAYS },
    );
  }
  return { from: new Date(start).toISOString(), to: new Date(end).toISOString() };
}

export interface ReplayProgress {
  events: number;
  lastPosition: Position | null;
}

/**
 * A consistent cut: every event committed before the replay began must be read. PostgreSQL's readAll holds back
 * events of transactions newer than the oldest one still running (so a reader never skips one committed late);
 * a replay that stopped at the first short page could miss a few just committed.
 */
export interface ReplayCut {
  /** Called before the first page. */
  begin(): Promise<void>;
  /** True once nothing committed before `begin` is still held back. */
  settled(): Promise<boolean>;
}

type SqlQuery = (sql: string) => Promise<{ rows: Record<string, unknown>[] }>;

/** The cut for the PostgreSQL event store (eventstore.events in the database `query` talks to). */
export function postgresReplayCut(query: SqlQuery): ReplayCut {
  let horizon = '0';
  return {
    async begin() {
      const result = await query('select pg_snapshot_xmax(pg_current_snapshot())::text as horizon');
      const value = String(result.rows[0]?.horizon ?? '');
      if (!/^\d+$/.test(value)) throw new Error(`billing replay: unexpected snapshot horizon ${value}`);
      horizon = value; // digits only: safe to inline (pg and knex placeholders differ)
    },
    async settled() {
      const result = await query(
        `select not exists (select 1 from eventstore.events
           where transaction_id >= pg_snapshot_xmin(pg_current_snapshot())
             and transaction_id < '${horizon}'::xid8) as settled`,
      );
      return result.rows[0]?.settled === true;
    },
  };
}

/** How long a replay waits for events committed before it began to become readable. */
const CUT_DEADLINE_MS = 60_000;

/**
 * The billing replay over the whole event history, page by page in global order: only the servers' billing
 * facts and the charge records of the window stay in memory, never the events, but those grow with the history.
 * Runs and billing:replay go organization by organization (replayOrganizations); this stays as the benchmark's
 * baseline (the replay as it ran inside the POST before).
 */
export async function replayBilling(
  eventStore: EventStore,
  window: ReplayWindow & { periodSeconds: number },
  options: { pageSize?: number; onPage?: (progress: ReplayProgress) => void; cut?: ReplayCut | null } = {},
): Promise<ReconciliationReport & { eventsRead: number }> {
  const replay = new BillingReplay(window);
  let after: Position | null = null;
  let eventsRead = 0;
  const cut = options.cut ?? null;
  await cut?.begin();
  const deadline = Date.now() + CUT_DEADLINE_MS;
  let settled = cut === null;
  for (;;) {
    const page = await eventStore.readAll({ after, maxCount: options.pageSize ?? REPLAY_PAGE_SIZE });
    for (const event of page.events) {
      const category = streamCategory(event.streamId);
      if (category !== 'vps' && category !== 'wallet' && category !== 'payment') continue;
      replay.add({
        id: event.id,
        streamId: event.streamId,
        type: event.type,
        data: event.data,
        occurredAt: event.metadata.occurredAt,
      });
    }
    eventsRead += page.events.length;
    after = page.lastPosition;
    options.onPage?.({ events: eventsRead, lastPosition: after });
    if (page.isFull && page.events.length > 0) continue;
    if (settled) break;
    // At the end of what is readable: once nothing older is held back, one more pass reads the rest.
    if (await cut!.settled()) settled = true;
    else if (Date.now() > deadline) {
      throw new Error('billing replay: events committed before the run are still held back; retry later');
    } else await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return { ...replay.report(), eventsRead };
}

export const CSV_COLUMNS = [
  'lineId',
  'kind',
  'organizationId',
  'vpsId',
  'paymentId',
  'chargeId',
  'periodStart',
  'periodEnd',
  'expected',
  'charged',
  'difference',
  'eventIds',
] as const;

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string): string {
  const safe = /^[=+@\t\r]/.test(value) || (/^-/.test(value) && !/^-\d/.test(value)) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The lines as CSV (header + one row per line, CRLF), ids of the events space-separated. */
export function linesToCsv(lines: readonly (ReconciliationLine & { resolution?: unknown })[]): string {
  const rows = [CSV_COLUMNS.join(',')];
  for (const line of lines) {
    rows.push(
      CSV_COLUMNS.map((column) =>
        csvField(column === 'eventIds' ? line.eventIds.join(' ') : String(line[column] ?? '')),
      ).join(','),
    );
  }
  return `${rows.join('\r\n')}\r\n`;
}

export function isLineKind(value: string): boolean {
  return (RECONCILIATION_LINE_KINDS as readonly string[]).includes(value);
}
