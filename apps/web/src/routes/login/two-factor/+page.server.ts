import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { MFA_COOKIE } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { safeNext, twoFactorLoginAction } from '$lib/server/forms';

/** The sign-in's second step: only reachable between a correct password and its code. */
export const load: PageServerLoad = async ({ locals, url, cookies }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  if (!cookies.get(MFA_COOKIE)) redirect(303, '/login');
  return {};
};

const step = (kind: 'code' | 'recovery'): Actions[string] => {
  return async (event) => {
    const form = await event.request.formData();
    const outcome = await twoFactorLoginAction(
      event.locals.api,
      form,
      event.cookies.get(MFA_COOKIE) ?? null,
      event.url.searchParams.get('next'),
      kind,
    );
    return respond(event, outcome);
  };
};

export const actions: Actions = { code: step('code'), recovery: step('recovery') };
