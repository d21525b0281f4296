import { loadOrFail, rememberPosition } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseResolveForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  run: await loadOrFail(adminApi(event).reconciliation(event.params.reconciliationId)),
});

export const actions: Actions = {
  resolve: async (event) => {
    const form = await event.request.formData();
    const parsed = parseResolveForm(form);
    if (!parsed.ok) return failWith(parsed);
    const { lineId, reason, amount } = parsed.value;
    try {
      const answer = await adminApi(event).resolveLine(event.params.reconciliationId, lineId, {
        reason,
        ...(amount ? { amount } : {}),
      });
      rememberPosition(event.cookies, event.url, answer.position);
      return {
        form: 'resolve',
        resolved: {
          lineId,
          adjustmentAmount: answer.adjustmentAmount,
          debtRecorded: answer.debtRecorded,
          balance: answer.balance,
        },
      };
    } catch (cause) {
      return failFromApi(cause, 'resolve', ['reason', 'amount'], { lineId, reason, amount: amount ?? '' });
    }
  },
};
