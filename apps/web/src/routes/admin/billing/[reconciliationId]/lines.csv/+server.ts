import { proxyDownload } from '$lib/admin/admin.server';
import type { RequestHandler } from './$types';

/** The run's lines as CSV, streamed from the API through this server (the browser never holds the token). */
export const GET: RequestHandler = async (event) => {
  const id = event.params.reconciliationId;
  const search = new URLSearchParams();
  const kind = event.url.searchParams.get('kind');
  if (kind) search.set('kind', kind);
  return proxyDownload(
    event,
    `/admin/billing/reconciliations/${encodeURIComponent(id)}/lines.csv`,
    search,
    `reconciliation-${id}.csv`,
  );
};
