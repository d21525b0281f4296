import { settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { EVENT_FILTER_KEYS, eventPageQuery, eventPaging } from '$lib/admin/event-filters';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const query = eventPageQuery(event.url.searchParams);
  const result = await settle(adminApi(event).events(query));
  const filters = Object.fromEntries(EVENT_FILTER_KEYS.map((k) => [k, query[k] ?? '']));
  const exportQuery = new URLSearchParams(
    Object.entries(filters).filter(([, v]) => v) as [string, string][],
  ).toString();
  return {
    filters,
    exportHref: `/admin/events/export${exportQuery ? `?${exportQuery}` : ''}`,
    page: result.ok ? { ok: true as const, ...eventPaging(query, result.value) } : result,
    atCursor: Boolean(query.after || query.before),
  };
};
