import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { clearSessionCookie } from '$lib/server/api';

// Logging out is a POST (the layout's button); a GET only shows where to go.
export const load: PageServerLoad = async () => redirect(303, '/');

export const actions: Actions = {
  default: async ({ cookies }) => {
    // The API's JWT is stateless: forgetting the cookie ends the browser's session.
    clearSessionCookie(cookies);
    redirect(303, '/login');
  },
};
