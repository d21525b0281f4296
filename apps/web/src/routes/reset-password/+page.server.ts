import type { Actions, PageServerLoad } from './$types';
import { respond } from '$lib/server/actions';
import { clearSessionCookie } from '$lib/server/api';
import { resetPasswordAction } from '$lib/server/forms';

export const load: PageServerLoad = async ({ url }) => ({ token: url.searchParams.get('token') ?? '' });

export const actions: Actions = {
  default: async (event) => {
    const outcome = await resetPasswordAction(event.locals.api, await event.request.formData());
    // Every session of the account ends with the reset, this browser's too.
    if (outcome.kind === 'redirect') clearSessionCookie(event.cookies);
    return respond(event, outcome);
  },
};
