import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { respond } from '$lib/server/actions';
import { registerAction } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals }) => {
  if (locals.user) redirect(303, '/dashboard');
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    return respond(event, await registerAction(event.locals.api, form));
  },
};
