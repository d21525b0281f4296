import type { Actions, PageServerLoad } from './$types';
import { ApiRequestError, requireUser } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { acceptInvitationAction, declineInvitationAction } from '$lib/server/forms';

/**
 * The mailed invitation link lands here. Signed out, the visitor signs in (or up) first and comes back; answering is
 * the buttons' POST, so a mail scanner fetching the link answers nothing.
 */
export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  try {
    return { invitation: await event.locals.api.invitation(event.params.token), problem: null, user };
  } catch (cause) {
    if (!(cause instanceof ApiRequestError) || cause.status >= 500) throw cause;
    return { invitation: null, problem: { code: cause.code, message: cause.message }, user };
  }
};

export const actions: Actions = {
  accept: async (event) => {
    requireUser(event);
    return respond(event, await acceptInvitationAction(event.locals.api, event.params.token));
  },
  decline: async (event) => {
    requireUser(event);
    return respond(event, await declineInvitationAction(event.locals.api, event.params.token));
  },
};
