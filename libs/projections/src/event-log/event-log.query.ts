import type { Knex } from '@mikro-orm/postgresql';
import { streamCategory } from '@stratus/domain';
import { formatPosition, parsePosition, type Position } from '@stratus/eventstore';
import { redact } from './event-log.redaction';

export const EVENT_LOG_DEFAULT_PAGE_SIZE = 50;
export const EVENT_LOG_MAX_PAGE_SIZE = 500;
/** Rows per query while exporting: large enough to amortise the round trip, small enough to stay flat. */
export const EVENT_LOG_EXPORT_PAGE_SIZE = 1000;

export type EventLogDirection = 'forwards' | 'backwards';

/** Every filter is optional; all given ones must match. */
export interface EventLogFilter {
  stream?: string;
  streamPrefix?: string;
  /** One or several event types. */
  types?: string[];
  actorUserId?: string;
  /** Events of the organization, its wallet, and the streams of its servers. */
  organizationId?: string;
  correlationId?: string;
  /** occurred_at >= from. */
  from?: Date;
  /** occurred_at < to. */
  to?: Date;
}

export interface EventLogPageRequest {
  filter: EventLogFilter;
  direction: EventLogDirection;
  /** Exclusive: forwards starts after it, backwards before it; null starts at the beginning / the end. */
  cursor: Position | null;
  limit: number;
}

/** One event as the admin views and the export show it (sensitive values already redacted). */
export interface EventLogItem {
  position: string;
  streamId: string;
  revision: number;
  type: string;
  eventId: string;
  data: unknown;
  metadata: {
    actor: {
      userId: string | null;
      role: string | null;
      impersonatorId: string | null;
      /** The API key the actor authenticated with (from the stored metadata; no column of its own). */
      apiKeyId: string | null;
      ip: string | null;
      userAgent: string | null;
    };
    correlationId: string | null;
    causationId: string | null;
    occurredAt: string;
  };
}

export interface EventLogPage {
  items: EventLogItem[];
  /** Position of the last item when more may follow in this direction, else null. */
  nextCursor: string | null;
}

/** A filter or paging parameter a caller got wrong; `field` names it (query parameter / CLI option). */
export class EventLogQueryError extends Error {
  override readonly name = 'EventLogQueryError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

// ---- parsing (shared by the API's query string and the CLI's options) ----

const MAX_TEXT = 300;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

export type RawParams = Record<string, string | string[] | undefined>;

function single(params: RawParams, field: string): string | undefined {
  const value = params[field];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) throw new EventLogQueryError(field, `${field} must be given once`);
  if (value.length === 0 || value.length > MAX_TEXT) {
    throw new EventLogQueryError(field, `${field} must be 1 to ${MAX_TEXT} characters`);
  }
  return value;
}

/** An ISO-8601 date or instant with an explicit offset ("2026-11-30" or "2026-11-30T04:00:00Z"). */
export function parseInstant(field: string, text: string): Date {
  const at = ISO_INSTANT.test(text) ? new Date(text) : null;
  // Date rolls 2026-02-30 over to March: the calendar day must exist as written.
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  const calendar = new Date(Date.UTC(year, month - 1, day));
  const dayExists = calendar.getUTCMonth() === month - 1 && calendar.getUTCDate() === day;
  if (!at || Number.isNaN(at.getTime()) || !dayExists) {
    throw new EventLogQueryError(
      field,
      `${field} must be an ISO-8601 date or time with a zone, e.g. 2026-11-30T04:00:00Z`,
    );
  }
  return at;
}

export function parseCursor(field: string, text: string): Position {
  const position = text.length <= 64 ? parsePosition(text) : null;
  if (!position || formatPosition(position) !== text) {
    throw new EventLogQueryError(field, `${field} must be a position "commit/prepare" such as "7841/1203"`);
  }
  return position;
}

export function parseLimit(field: string, text: string | undefined): number {
  if (text === undefined) return EVENT_LOG_DEFAULT_PAGE_SIZE;
  const n = /^\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= EVENT_LOG_MAX_PAGE_SIZE)) {
    throw new EventLogQueryError(field, `${field} must be an integer from 1 to ${EVENT_LOG_MAX_PAGE_SIZE}`);
  }
  return n;
}

/** `type=A&type=B` or `type=A,B`. */
function types(params: RawParams): string[] | undefined {
  const raw = params.type;
  if (raw === undefined) return undefined;
  const list = (Array.isArray(raw) ? raw : [raw]).flatMap((t) => t.split(',')).map((t) => t.trim());
  if (list.length === 0 || list.length > 50 || list.some((t) => !/^[A-Za-z][A-Za-z0-9_.:-]{0,99}$/.test(t))) {
    throw new EventLogQueryError('type', 'type must be 1 to 50 event type names such as WalletCredited');
  }
  return [...new Set(list)];
}

/** The filters from query parameters (names as in the API). */
export function parseEventLogFilter(params: RawParams): EventLogFilter {
  const filter: EventLogFilter = {};
  const put = <K extends keyof EventLogFilter>(key: K, value: EventLogFilter[K] | undefined) => {
    if (value !== undefined) filter[key] = value;
  };
  put('stream', single(params, 'stream'));
  put('streamPrefix', single(params, 'streamPrefix'));
  put('types', types(params));
  put('actorUserId', single(params, 'actorUserId'));
  put('organizationId', single(params, 'organizationId'));
  put('correlationId', single(params, 'correlationId'));
  const from = single(params, 'from');
  const to = single(params, 'to');
  put('from', from === undefined ? undefined : parseInstant('from', from));
  put('to', to === undefined ? undefined : parseInstant('to', to));
  if (filter.from && filter.to && filter.from.getTime() > filter.to.getTime()) {
    throw new EventLogQueryError('to', 'to must not be before from');
  }
  return filter;
}

/**
 * Filters plus paging: `after=<position>` reads forwards after it, `before=<position>` backwards before it;
 * without a cursor `direction` (default forwards) starts at the beginning or the end.
 */
export function parseEventLogPageRequest(params: RawParams): EventLogPageRequest {
  const filter = parseEventLogFilter(params);
  const after = single(params, 'after');
  const before = single(params, 'before');
  const direction = single(params, 'direction');
  if (direction !== undefined && direction !== 'forwards' && direction !== 'backwards') {
    throw new EventLogQueryError('direction', 'direction must be forwards or backwards');
  }
  if (after !== undefined && before !== undefined) {
    throw new EventLogQueryError('before', 'give either after or before, not both');
  }
  if (
    (after !== undefined && direction === 'backwards') ||
    (before !== undefined && direction === 'forwards')
  ) {
    throw new EventLogQueryError('direction', 'after reads forwards and before reads backwards');
  }
  return {
    filter,
    direction:
      before !== undefined ? 'backwards' : after !== undefined ? 'forwards' : (direction ?? 'forwards'),
    cursor:
      after !== undefined
        ? parseCursor('after', after)
        : before !== undefined
          ? parseCursor('before', before)
          : null,
    limit: parseLimit('limit', single(params, 'limit')),
  };
}

// ---- SQL ----

/** A SQL fragment with knex `?` bindings. */
interface Sql {
  text: string;
  bindings: Knex.RawBinding[];
}

const COLUMNS =
  '"event_id", "position_commit", "position_prepare", "stream_id", "revision", "type", "actor_user_id", ' +
  '"actor_role", "impersonator_id", "ip", "user_agent", "correlation_id", "causation_id", "occurred_at", ' +
  '"data", "metadata"';

/** A row as pg returns it (bigint as text; timestamps as Date or text depending on the type parsers). */
export interface EventLogRecord {
  event_id: string;
  position_commit: string | bigint;
  position_prepare: string | bigint;
  stream_id: string;
  revision: string | bigint;
  type: string;
  actor_user_id: string | null;
  actor_role: string | null;
  impersonator_id: string | null;
  ip: string | null;
  user_agent: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  occurred_at: Date | string;
  data: unknown;
  metadata: unknown;
}

const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Conditions of every filter but the organization (which picks the query's shape). */
function conditions(filter: EventLogFilter, direction: EventLogDirection, cursor: Position | null): Sql[] {
  const out: Sql[] = [];
  if (filter.stream !== undefined) out.push({ text: '"stream_id" = ?', bindings: [filter.stream] });
  if (filter.streamPrefix !== undefined) {
    const prefix = filter.streamPrefix;
    const dash = prefix.indexOf('-');
    // A prefix that names a category ("vps-") is the category column: indexed with the position.
    if (dash !== -1) out.push({ text: '"stream_category" = ?', bindings: [streamCategory(prefix)] });
    if (dash === -1 || dash !== prefix.length - 1) {
      out.push({ text: `"stream_id" like ? escape '\\'`, bindings: [likePrefix(prefix)] });
    }
  }
  if (filter.types !== undefined) {
    out.push(
      filter.types.length === 1
        ? { text: '"type" = ?', bindings: [filter.types[0]] }
        : { text: `"type" in (${filter.types.map(() => '?').join(', ')})`, bindings: filter.types },
    );
  }
  if (filter.actorUserId !== undefined)
    out.push({ text: '"actor_user_id" = ?', bindings: [filter.actorUserId] });
  if (filter.correlationId !== undefined)
    out.push({ text: '"correlation_id" = ?', bindings: [filter.correlationId] });
  if (filter.from !== undefined)
    out.push({ text: '"occurred_at" >= ?', bindings: [filter.from.toISOString()] });
  if (filter.to !== undefined) out.push({ text: '"occurred_at" < ?', bindings: [filter.to.toISOString()] });
  if (cursor) {
    out.push({
      text: `("position_commit", "position_prepare") ${direction === 'forwards' ? '>' : '<'} (?, ?)`,
      bindings: [cursor.commit.toString(), cursor.prepare.toString()],
    });
  }
  return out;
}

function where(parts: Sql[]): Sql {
  return parts.length === 0
    ? { text: '', bindings: [] }
    : { text: `where ${parts.map((p) => p.text).join(' and ')}`, bindings: parts.flatMap((p) => p.bindings) };
}

/**
 * The page query. With an organization filter it is the union of two keyset scans, each already in
 * position order: the events that carry the organization (its own streams, its wallet, VpsRequested…),
 * and, per server of the organization (vps_servers), that server's events that carry none (most vps events).
 */
export function eventLogPageSql(request: EventLogPageRequest, limit: number): Sql {
  const order =
    request.direction === 'forwards'
      ? '"position_commit" asc, "position_prepare" asc'
      : '"position_commit" desc, "position_prepare" desc';
  const base = conditions(request.filter, request.direction, request.cursor);
  const organizationId = request.filter.organizationId;
  if (organizationId === undefined) {
    const w = where(base);
    return {
      text: `select ${COLUMNS} from "event_log" ${w.text} order by ${order} limit ${limit}`,
      bindings: w.bindings,
    };
  }
  const own = where([{ text: '"organization_id" = ?', bindings: [organizationId] }, ...base]);
  const servers = where([
    { text: '"stream_id" = "servers"."sid"', bindings: [] },
    { text: '"organization_id" is null', bindings: [] },
    ...base,
  ]);
  return {
    text:
      `select * from (` +
      `(select ${COLUMNS} from "event_log" ${own.text} order by ${order} limit ${limit}) ` +
      `union all ` +
      `(select "e".* from (select 'vps-' || "id" as "sid" from "vps_servers" where "organization_id" = ?) "servers" ` +
      `cross join lateral (select ${COLUMNS} from "event_log" ${servers.text} order by ${order} limit ${limit}) "e")` +
      `) "u" order by ${order} limit ${limit}`,
    bindings: [...own.bindings, organizationId, ...servers.bindings],
  };
}

/** occurred_at of a row as an ISO instant. */
export const eventLogItemTime = (row: Pick<EventLogRecord, 'occurred_at'>): string => toIso(row.occurred_at);

const toIso = (value: Date | string): string =>
  (value instanceof Date
    ? value
    : new Date(/[zZ]|[+-]\d\d(:?\d\d)?$/.test(value) ? value : `${value}Z`)
  ).toISOString();

function apiKeyIdOf(metadata: unknown): string | null {
  const actor = (metadata as { actor?: { apiKeyId?: unknown } } | null)?.actor;
  return typeof actor?.apiKeyId === 'string' ? actor.apiKeyId : null;
}

/** The admin view of one row: positions as "commit/prepare", sensitive values redacted. */
export function eventLogItem(row: EventLogRecord): EventLogItem {
  return {
    position: `${String(row.position_commit)}/${String(row.position_prepare)}`,
    streamId: row.stream_id,
    revision: Number(row.revision),
    type: row.type,
    eventId: row.event_id,
    data: redact(row.data),
    metadata: {
      actor: redact({
        userId: row.actor_user_id,
        role: row.actor_role,
        impersonatorId: row.impersonator_id,
        apiKeyId: apiKeyIdOf(row.metadata),
        ip: row.ip,
        userAgent: row.user_agent,
      }),
      correlationId: row.correlation_id,
      causationId: row.causation_id,
      occurredAt: toIso(row.occurred_at),
    },
  };
}

export async function queryEventLogRecords(
  knex: Knex,
  request: EventLogPageRequest,
  limit = request.limit,
): Promise<EventLogRecord[]> {
  const sql = eventLogPageSql(request, limit);
  const result = await knex.raw(sql.text, sql.bindings);
  return result.rows as EventLogRecord[];
}

/** One page; `nextCursor` is set when a further page exists in the same direction. */
export async function queryEventLogPage(knex: Knex, request: EventLogPageRequest): Promise<EventLogPage> {
  const rows = await queryEventLogRecords(knex, request, request.limit + 1);
  const page = rows.slice(0, request.limit).map(eventLogItem);
  return {
    items: page,
    nextCursor: rows.length > request.limit && page.length > 0 ? page[page.length - 1].position : null,
  };
}

/**
 * Every matching event, page by page through the keyset cursor: memory stays flat whatever the
 * history's size. Stops early when the consumer stops iterating.
 */
export async function* exportEventLog(
  knex: Knex,
  filter: EventLogFilter,
  options: { after?: Position | null; direction?: EventLogDirection; pageSize?: number } = {},
): AsyncGenerator<EventLogItem> {
  const direction = options.direction ?? 'forwards';
  const pageSize = options.pageSize ?? EVENT_LOG_EXPORT_PAGE_SIZE;
  let cursor = options.after ?? null;
  for (;;) {
    const rows = await queryEventLogRecords(knex, { filter, direction, cursor, limit: pageSize });
    for (const row of rows) yield eventLogItem(row);
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1];
    cursor = { commit: BigInt(last.position_commit), prepare: BigInt(last.position_prepare) };
  }
}
