import { redirect } from '@sveltejs/kit';
import { rememberPosition, settle } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseReconciliationForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  const before = event.url.searchParams.get('before') ?? undefined;
  return {
    runs: await settle(adminApi(event).reconciliations({ before, limit: 20 })),
    paged: Boolean(before),
  };
};

export const actions: Actions = {
  start: async (event) => {
    const form = await event.request.formData();
    const parsed = parseReconciliationForm(form);
    if (!parsed.ok) return failWith(parsed);
    let run;
    try {
      run = await adminApi(event).startReconciliation(parsed.value);
    } catch (cause) {
      return failFromApi(cause, 'reconciliation', ['from', 'to', 'organizationId'], {
        from: parsed.value.from,
        to: parsed.value.to,
        organizationId: parsed.value.organizationId ?? '',
      });
    }
    rememberPosition(event.cookies, event.url, run.position);
    redirect(303, `/admin/billing/${run.reconciliationId}`);
  },
};
