import type { PageServerLoad } from './$types';
import { loadOrFail, requireActiveOrganization } from '$lib/server/api';

/** Where the provider sends a customer who cancelled: nothing was charged; the payment expires by itself. */
export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  const payment = await loadOrFail(
    event.locals.api.payment(membership.organizationId, event.params.paymentId),
  );
  return { payment };
};
