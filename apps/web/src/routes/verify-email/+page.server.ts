import type { Actions, PageServerLoad } from './$types';
import { respond } from '$lib/server/actions';
import { requireUser } from '$lib/server/api';
import { resendVerificationAction, verifyEmailAction } from '$lib/server/forms';

/** The mailed link lands here; verifying is the button's POST, so a mail scanner fetching the link spends nothing. */
export const load: PageServerLoad = async ({ url, locals }) => ({
  token: url.searchParams.get('token') ?? '',
  emailVerified: locals.user?.emailVerified ?? null,
});

export const actions: Actions = {
  verify: async (event) =>
    respond(event, await verifyEmailAction(event.locals.api, await event.request.formData())),
  resend: async (event) => {
    requireUser(event);
    return respond(event, await resendVerificationAction(event.locals.api));
  },
};
