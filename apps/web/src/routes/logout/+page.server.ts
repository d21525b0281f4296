import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { clearSessionCookie, createApiClient, STAFF_SESSION_COOKIE } from '$lib/server/api';

// Logging out is a POST (the layout's button); a GET only shows where to go.
export const load: PageServerLoad = async () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ cookies, locals }) => {
    // The API ends the session (its token is refused from now on, even if copied); the cookie goes regardless,
    // also when the API cannot be reached.
    if (locals.api.authenticated) await locals.api.logout().catch(() => undefined);
    // Logging out while impersonating ends the staff member's own session too (the one set aside).
    const staffToken = cookies.get(STAFF_SESSION_COOKIE);
    if (staffToken)
      await createApiClient({ token: staffToken })
        .logout()
        .catch(() => undefined);
    cookies.delete(STAFF_SESSION_COOKIE, { path: '/' });
    clearSessionCookie(cookies);
    redirect(303, '/login');
  },
};
