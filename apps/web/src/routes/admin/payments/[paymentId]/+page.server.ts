import { randomUUID } from 'node:crypto';
import { error } from '@sveltejs/kit';
import { loadOrFail, settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseRefundForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One payment (the staff list filtered by its id) and its stream's events, in parallel. */
export const load: PageServerLoad = async (event) => {
  const paymentId = event.params.paymentId.toLowerCase();
  if (!UUID.test(paymentId)) error(404, 'Not found');
  const admin = adminApi(event);
  const [page, stream] = await Promise.all([
    loadOrFail(admin.payments({ paymentId })),
    settle(admin.stream(`payment-${paymentId}`, { limit: 200 })),
  ]);
  const payment = page.items[0];
  if (!payment) error(404, 'Not found');
  // A fresh key per rendered refund form: a double submit or a retried post refunds once.
  return { payment, stream, idempotencyKey: `staff-refund-${randomUUID()}` };
};

export const actions: Actions = {
  refund: async (event) => {
    const form = await event.request.formData();
    const parsed = parseRefundForm(form);
    if (!parsed.ok) return failWith(parsed);
    const { amount, reason, idempotencyKey } = parsed.value;
    try {
      const answer = await adminApi(event).refundPayment(
        event.params.paymentId,
        { amount, reason },
        idempotencyKey,
      );
      return {
        form: 'refund',
        refunded: { amount, walletDebited: answer.walletDebited, uncovered: answer.uncovered },
      };
    } catch (cause) {
      return failFromApi(cause, 'refund', ['amount', 'reason'], { amount, reason, idempotencyKey });
    }
  },
};
