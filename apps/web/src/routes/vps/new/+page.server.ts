import { randomUUID } from 'node:crypto';
import type { Actions, PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import { createServerAction } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:wallet');
  const { api } = event.locals;
  const [regions, plans, images, wallet, keys] = await Promise.all([
    settle(api.regions()),
    settle(api.plans()),
    settle(api.images()),
    membership.permissions.includes('billing_view') ? settle(api.wallet(membership.organizationId)) : null,
    membership.permissions.includes('ssh_keys_view') ? settle(api.sshKeys(membership.organizationId)) : null,
  ]);
  return {
    regions,
    plans,
    images,
    balance: wallet?.ok ? wallet.value.balance : null,
    // The organization's keys to choose from (null: the role cannot see them).
    sshKeys: keys === null ? null : keys.ok ? keys.value.items : [],
    canManageKeys: membership.permissions.includes('ssh_keys_manage'),
    canCreate: membership.permissions.includes('vps_create'),
    // One key per rendered wizard: submitting twice (a double click, a retry) creates one server.
    idempotencyKey: randomUUID(),
  };
};

export const actions: Actions = {
  default: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(event, await createServerAction(event.locals.api, membership.organizationId, form));
  },
};
