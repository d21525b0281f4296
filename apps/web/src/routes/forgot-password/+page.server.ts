import type { Actions } from './$types';
import { respond } from '$lib/server/actions';
import { forgotPasswordAction } from '$lib/server/forms';

export const actions: Actions = {
  default: async (event) =>
    respond(event, await forgotPasswordAction(event.locals.api, await event.request.formData())),
};
