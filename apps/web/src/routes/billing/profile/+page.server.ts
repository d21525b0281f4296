import type { Actions, PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { billingProfileAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  const canSeeBilling = membership.permissions.includes('billing_view');
  const canManageBilling = membership.permissions.includes('billing_manage');
  if (!canSeeBilling) return { canSeeBilling, canManageBilling, profile: null };
  const profile = await settle(event.locals.api.billingProfile(membership.organizationId));
  return { canSeeBilling, canManageBilling, profile };
};

export const actions: Actions = {
  save: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(event, await billingProfileAction(event.locals.api, membership.organizationId, form));
  },
};
