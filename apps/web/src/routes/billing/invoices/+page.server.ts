import type { PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';

const PAGE_SIZE = 25;

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  const canSeeBilling = membership.permissions.includes('billing_view');
  const now = new Date();
  // The last 12 UTC months, newest first: each has a statement.
  const months = Array.from({ length: 12 }, (_, i) =>
    new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1)).toISOString().slice(0, 7),
  );
  if (!canSeeBilling) return { canSeeBilling, invoices: null, months, cursor: null };
  const cursor = event.url.searchParams.get('cursor');
  const invoices = await settle(
    event.locals.api.invoices(membership.organizationId, { limit: PAGE_SIZE, cursor }),
  );
  return { canSeeBilling, invoices, months, cursor };
};
