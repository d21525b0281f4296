import type { PageServerLoad } from './$types';
import { loadOrFail, requireActiveOrganization, settle } from '$lib/server/api';

/** Statuses in which the provider has not answered yet. */
const OPEN = ['initiated', 'approved'];

/**
 * Where the provider sends the customer back. A PayPal payment is captured here (idempotent: a reload, a second tab
 * or the webhook arriving first still credit once); a card payment completes by Stripe's webhook, so until it
 * arrives the page says it is pending and follows the wallet live.
 */
export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:wallet');
  const { api } = event.locals;
  const organizationId = membership.organizationId;
  let payment = await loadOrFail(api.payment(organizationId, event.params.paymentId));
  let captureProblem: string | null = null;
  if (payment.provider === 'paypal' && OPEN.includes(payment.status)) {
    const captured = await settle(api.capturePayment(organizationId, payment.paymentId));
    if (captured.ok) payment = captured.value;
    else captureProblem = captured.message;
  }
  const wallet = membership.permissions.includes('billing_view')
    ? await settle(api.wallet(organizationId))
    : null;
  return { payment, captureProblem, wallet };
};
