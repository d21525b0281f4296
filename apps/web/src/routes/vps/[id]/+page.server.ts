import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { ApiRequestError, requireActiveOrganization, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import {
  backupsAction,
  deleteServerAction,
  firewallAddRuleAction,
  firewallDefaultAction,
  firewallRemoveRuleAction,
  powerAction,
  rebuildServerAction,
  renameServerAction,
  resizeServerAction,
  restoreAction,
  reverseDnsAction,
  snapshotAction,
} from '$lib/server/forms';

const CHARGES_PAGE_SIZE = 20;

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:vps', 'live:wallet');
  const { api } = event.locals;
  const organizationId = membership.organizationId;
  const vpsId = event.params.id;
  const canSeeBilling = membership.permissions.includes('billing_view');
  // The charges page by page ("Older charges"); the total covers them all.
  const chargesCursor = event.url.searchParams.get('charges');
  const canManage = membership.permissions.includes('vps_manage');
  // All at once; the billing and the choices for rebuild and resize settle on their own, so a failing server read
  // decides the page.
  const [server, billing, plans, images, sshKeys, backups, firewall] = await Promise.all([
    api.server(organizationId, vpsId).catch((cause: unknown) => {
      // Another tenant's server, a malformed id, a server that never existed: all the same 404.
      if (cause instanceof ApiRequestError && [400, 403, 404].includes(cause.status)) error(404, 'Not found');
      if (cause instanceof ApiRequestError) error(cause.status >= 500 ? cause.status : 502, cause.message);
      throw cause;
    }),
    canSeeBilling
      ? settle(api.serverBilling(organizationId, vpsId, { limit: CHARGES_PAGE_SIZE, cursor: chargesCursor }))
      : null,
    canManage ? settle(api.plans()) : null,
    canManage ? settle(api.images()) : null,
    canManage ? settle(api.sshKeys(organizationId)) : null,
    // ---- backups and firewall (issue 15) ----
    // Backups are the provider's (read through the API); both settle on their own, like the billing.
    settle(api.serverBackups(organizationId, vpsId)),
    settle(api.serverFirewall(organizationId, vpsId)),
  ]);
  // The server's network transfer this month (its own failure leaves the rest of the page).
  const transfer = await settle(api.serverTransfer(organizationId, vpsId));
  return {
    server,
    billing,
    transfer,
    chargesCursor,
    backups,
    firewall,
    // The plans offered in the server's region (resize), the images, the organization's keys (rebuild).
    plans: plans?.ok ? plans.value.filter((plan) => plan.regions.includes(server.region)) : [],
    images: images?.ok ? images.value : [],
    sshKeys: sshKeys?.ok ? sshKeys.value.items : [],
    canManage,
    canDelete: membership.permissions.includes('vps_delete'),
  };
};

export const actions: Actions = {
  power: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await powerAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  rename: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await renameServerAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  reverseDns: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await reverseDnsAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  rebuild: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await rebuildServerAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  resize: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await resizeServerAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  backups: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await backupsAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  // ---- backups and firewall (issue 15) ----
  snapshot: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await snapshotAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  restore: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await restoreAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  firewallRule: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await firewallAddRuleAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  firewallRemove: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await firewallRemoveRuleAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  firewallDefault: async (event) => {
    const membership = requireActiveOrganization(event);
    const form = await event.request.formData();
    return respond(
      event,
      await firewallDefaultAction(event.locals.api, membership.organizationId, event.params.id, form),
    );
  },
  delete: async (event) => {
    const membership = requireActiveOrganization(event);
    return respond(
      event,
      await deleteServerAction(event.locals.api, membership.organizationId, event.params.id),
    );
  },
};
