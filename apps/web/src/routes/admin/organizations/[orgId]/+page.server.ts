import { randomUUID } from 'node:crypto';
import { loadOrFail, rememberPosition } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseCreditForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const organization = await loadOrFail(adminApi(event).organization(event.params.orgId));
  // A fresh key per rendered form: a double submit or a retried post credits once.
  return { organization, idempotencyKey: `staff-credit-${randomUUID()}` };
};

export const actions: Actions = {
  credit: async (event) => {
    const form = await event.request.formData();
    const parsed = parseCreditForm(form);
    if (!parsed.ok) return failWith(parsed);
    const { amount, reason, idempotencyKey } = parsed.value;
    try {
      const answer = await adminApi(event).creditWallet(
        event.params.orgId,
        { amount, reason },
        idempotencyKey,
      );
      rememberPosition(event.cookies, event.url, answer.position);
      return {
        form: 'credit',
        credited: { amount, balance: answer.balance, transactionId: answer.transactionId },
      };
    } catch (cause) {
      return failFromApi(cause, 'credit', ['amount', 'reason'], { amount, reason, idempotencyKey });
    }
  },
};
