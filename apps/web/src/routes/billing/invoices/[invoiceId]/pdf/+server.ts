import { proxyCustomerDownload, requireActiveOrganization } from '$lib/server/api';
import type { RequestHandler } from './$types';

/** The invoice or credit note as a PDF, from the API through this server. */
export const GET: RequestHandler = async (event) => {
  const membership = requireActiveOrganization(event);
  return proxyCustomerDownload(
    event,
    `/organizations/${encodeURIComponent(membership.organizationId)}/invoices/${encodeURIComponent(event.params.invoiceId)}/pdf`,
  );
};
