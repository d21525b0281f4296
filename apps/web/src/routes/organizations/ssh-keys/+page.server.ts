import type { Actions, PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { addSshKeyAction, deleteSshKeyAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  const canView = membership.permissions.includes('ssh_keys_view');
  return {
    organizationName: membership.organizationName,
    canView,
    canManage: membership.permissions.includes('ssh_keys_manage'),
    keys: canView ? await settle(event.locals.api.sshKeys(membership.organizationId)) : null,
  };
};

export const actions: Actions = {
  add: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(event, await addSshKeyAction(event.locals.api, membership.organizationId, form));
  },
  delete: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(event, await deleteSshKeyAction(event.locals.api, membership.organizationId, form));
  },
};
