import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { respond } from '$lib/server/actions';
import { registerAction, safeNext } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  return {};
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    return respond(event, await registerAction(event.locals.api, form, event.url.searchParams.get('next')));
  },
};
