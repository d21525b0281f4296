import { proxyDownload } from '$lib/admin/admin.server';
import { eventFilterFromUrl } from '$lib/admin/event-filters';
import type { RequestHandler } from './$types';

/** The API's JSON Lines export, streamed through this server so the browser never holds the session token. */
export const GET: RequestHandler = async (event) => {
  const filter = eventFilterFromUrl(event.url.searchParams);
  const search = new URLSearchParams(Object.entries(filter) as [string, string][]);
  return proxyDownload(event, '/admin/events/export', search, 'stratus-events.jsonl');
};
