import { proxyCustomerDownload, requireActiveOrganization } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** A month's usage statement as a PDF, from the API through this server. */
export const GET: RequestHandler = async (event) => {
  const membership = requireActiveOrganization(event);
  return proxyCustomerDownload(
    event,
    `/organizations/${encodeURIComponent(membership.organizationId)}/statements/${encodeURIComponent(event.params.period)}/pdf`,
  );
};
