import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { endImpersonationCookies, requireUser } from '$lib/server/api';

// Stopping is a POST (the banner's button); a GET only goes home.
export const load: PageServerLoad = async () => redirect(303, '/');

export const actions: Actions = {
  /**
   * Ends the impersonation on the API (its token is refused from now on), then puts the staff member's own session
   * back and returns them to the user's staff page. Without that session (it expired meanwhile) they sign in again.
   */
  stop: async (event) => {
    const user = requireUser(event);
    if (event.locals.impersonatorId === null) redirect(303, '/dashboard');
    await event.locals.api.stopImpersonation().catch(() => undefined);
    const staffToken = endImpersonationCookies(event.cookies, event.url);
    redirect(303, staffToken ? `/admin/users/${encodeURIComponent(user.id)}` : '/login');
  },
};
