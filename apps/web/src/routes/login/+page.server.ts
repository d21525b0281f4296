import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { respond } from '$lib/server/actions';
import { loginAction, safeNext } from '$lib/server/forms';

export const load: PageServerLoad = async ({ locals, url }) => {
  if (locals.user) redirect(303, safeNext(url.searchParams.get('next')));
  const next = url.searchParams.get('next');
  return {
    reset: url.searchParams.get('reset') === '1',
    // Sign-up keeps where the visitor was going (an invitation link).
    registerHref: next ? `/register?next=${encodeURIComponent(safeNext(next))}` : '/register',
  };
};

export const actions: Actions = {
  default: async (event) => {
    const form = await event.request.formData();
    return respond(event, await loginAction(event.locals.api, form, event.url.searchParams.get('next')));
  },
};
