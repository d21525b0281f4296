import type { Actions, PageServerLoad } from './$types';
import { respond } from '$lib/server/actions';
import { requireUser, settle } from '$lib/server/api';
import { changePasswordAction, revokeOtherSessionsAction, revokeSessionAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  return { me: user, sessions: await settle(event.locals.api.sessions()) };
};

export const actions: Actions = {
  changePassword: async (event) => {
    requireUser(event);
    return respond(event, await changePasswordAction(event.locals.api, await event.request.formData()));
  },
  revokeSession: async (event) => {
    requireUser(event);
    return respond(event, await revokeSessionAction(event.locals.api, await event.request.formData()));
  },
  revokeOthers: async (event) => {
    requireUser(event);
    return respond(event, await revokeOtherSessionsAction(event.locals.api));
  },
};
