import { redirect } from '@sveltejs/kit';
import { loadOrFail, startImpersonationCookies } from '$lib/server/api';
import { adminApi } from '$lib/admin/admin.server';
import { failFromApi, failWith } from '$lib/server/actions';
import { parseImpersonationForm } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => ({
  user: await loadOrFail(adminApi(event).user(event.params.userId)),
});

export const actions: Actions = {
  /**
   * Staff become the user for at most an hour: their own session is set aside (STAFF_SESSION_COOKIE) and the
   * banner's "Stop impersonating" puts it back.
   */
  impersonate: async (event) => {
    const api = adminApi(event);
    const parsed = parseImpersonationForm(await event.request.formData());
    if (!parsed.ok) return failWith(parsed);
    let token: string;
    try {
      token = (await api.impersonate(event.params.userId, parsed.value.reason)).token;
    } catch (cause) {
      return failFromApi(cause, 'impersonate', ['reason'], { reason: parsed.value.reason });
    }
    startImpersonationCookies(event.cookies, event.url, token);
    redirect(303, '/dashboard');
  },
};
