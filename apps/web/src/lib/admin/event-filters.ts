/**
 * The staff event history's URL parameters: the filters, the page and its cursors, the time-travel form. Plain
 * functions over URLSearchParams, shared by the pages and the export download.
 */
import { instantField } from '../server/forms';

export const EVENT_FILTER_KEYS = [
  'stream',
  'streamPrefix',
  'type',
  'actorUserId',
  'organizationId',
  'correlationId',
  'from',
  'to',
] as const;
export type EventFilterKey = (typeof EVENT_FILTER_KEYS)[number];
export type EventFilterValues = Partial<Record<EventFilterKey, string>>;

/** The feed's filters from the page URL (empty ones dropped); from/to as ISO instants. */
export function eventFilterFromUrl(params: URLSearchParams): EventFilterValues {
  const filter: EventFilterValues = {};
  for (const key of EVENT_FILTER_KEYS) {
    if (key === 'from' || key === 'to') {
      const at = instantField(params, key);
      if (at && at !== 'invalid') filter[key] = at;
      else if (at === 'invalid') filter[key] = params.get(key) ?? ''; // the API explains what is wrong
      continue;
    }
    const value = params.get(key)?.trim();
    if (value) filter[key] = value;
  }
  return filter;
}

export interface EventPageQuery extends EventFilterValues {
  after?: string;
  before?: string;
  direction?: 'forwards' | 'backwards';
  limit?: number;
}

export const EVENT_PAGE_SIZE = 50;

/** Newest first by default: no cursor reads backwards from the end. `limit` (1–500) may come in the URL. */
export function eventPageQuery(params: URLSearchParams, defaultLimit = EVENT_PAGE_SIZE): EventPageQuery {
  const filter = eventFilterFromUrl(params);
  const after = params.get('after')?.trim();
  const before = params.get('before')?.trim();
  const asked = params.get('limit')?.trim() ?? '';
  const limit =
    /^\d{1,3}$/.test(asked) && Number(asked) >= 1 && Number(asked) <= 500 ? Number(asked) : defaultLimit;
  if (after) return { ...filter, after, limit };
  if (before) return { ...filter, before, limit };
  return { ...filter, direction: 'backwards', limit };
}

export interface EventPaging<T> {
  /** Newest first. */
  items: T[];
  /** Query strings for the neighbouring pages (filters kept), null where there is none. */
  newer: string | null;
  older: string | null;
}

/**
 * Paging both ways over a feed shown newest first: "older" reads backwards before the oldest item shown, "newer"
 * reads forwards after the newest one (and is shown reversed).
 */
export function eventPaging<T extends { position: string }>(
  query: EventPageQuery,
  page: { items: T[]; nextCursor: string | null },
): EventPaging<T> {
  const forwards = Boolean(query.after);
  const items = forwards ? [...page.items].reverse() : page.items;
  const filter: Record<string, string> = {};
  for (const key of EVENT_FILTER_KEYS) {
    const value = query[key];
    if (value) filter[key] = value;
  }
  if (query.limit && query.limit !== EVENT_PAGE_SIZE) filter.limit = String(query.limit);
  const link = (cursor: Record<string, string>) => new URLSearchParams({ ...filter, ...cursor }).toString();
  const newest = items[0]?.position;
  const oldest = items[items.length - 1]?.position;
  let newer: string | null = null;
  let older: string | null = null;
  if (forwards) {
    if (page.nextCursor) newer = link({ after: page.nextCursor });
    // An empty page past the end still links back to what came before its cursor.
    older = link({ before: oldest ?? (query.after as string) });
  } else {
    if (page.nextCursor) older = link({ before: page.nextCursor });
    if (query.before) newer = link({ after: newest ?? query.before });
  }
  return { items, newer, older };
}

/** Stream ids are "<category>-<id>"; the category names the aggregate. */
export function streamCategoryOf(streamId: string): string {
  const dash = streamId.indexOf('-');
  return dash === -1 ? streamId : streamId.slice(0, dash);
}

/** The time-travel form: a revision, or a time; neither means "now". */
export function timeTravelQuery(
  params: URLSearchParams,
): { atRevision?: string; atTime?: string } | 'invalid' {
  const revision = params.get('atRevision')?.trim();
  if (revision) return /^\d{1,12}$/.test(revision) ? { atRevision: revision } : 'invalid';
  const at = instantField(params, 'atTime');
  if (at === 'invalid') return 'invalid';
  return at ? { atTime: at } : {};
}
