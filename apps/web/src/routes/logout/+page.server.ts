import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { clearSessionCookie } from '$lib/server/api';

// Logging out is a POST (the layout's button); a GET only shows where to go.
export const load: PageServerLoad = async () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ cookies, locals }) => {
    // The API ends the session (its token is refused from now on, even if copied); the cookie goes regardless,
    // also when the API cannot be reached.
    if (locals.api.authenticated) await locals.api.logout().catch(() => undefined);
    clearSessionCookie(cookies);
    redirect(303, '/login');
  },
};
