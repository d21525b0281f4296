import type { Actions, PageServerLoad } from './$types';
import { requireUser, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { mailPreferencesAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  return { preferences: await settle(event.locals.api.mailPreferences()) };
};

export const actions: Actions = {
  save: async (event) => {
    requireUser(event);
    return respond(event, await mailPreferencesAction(event.locals.api, await event.request.formData()));
  },
};
