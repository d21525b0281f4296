import type { Actions, PageServerLoad } from './$types';
import { loadOrFail, rememberPosition, requireUser } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { disableTwoFactorAction, enableTwoFactorAction, setupTwoFactorAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  requireUser(event);
  const me = await loadOrFail(event.locals.api.me());
  return {
    twoFactorEnabled: me.user.twoFactorEnabled,
    staffRequired: event.url.searchParams.get('required') === 'staff' && me.user.platformRole === 'admin',
  };
};

export const actions: Actions = {
  setup: async (event) => {
    requireUser(event);
    const outcome = await setupTwoFactorAction(event.locals.api);
    if (outcome.kind === 'setup') {
      const { secret, otpauthUrl, qrSvg } = outcome;
      return { setup: { secret, otpauthUrl, qrSvg } };
    }
    return respond(event, outcome);
  },
  enable: async (event) => {
    requireUser(event);
    const outcome = await enableTwoFactorAction(event.locals.api, await event.request.formData());
    if (outcome.kind === 'enabled') {
      // Shown this once: the page renders them from this answer, nothing keeps them.
      rememberPosition(event.cookies, event.url, outcome.position);
      return { recoveryCodes: outcome.recoveryCodes };
    }
    return respond(event, outcome);
  },
  disable: async (event) => {
    requireUser(event);
    return respond(event, await disableTwoFactorAction(event.locals.api, await event.request.formData()));
  },
};
