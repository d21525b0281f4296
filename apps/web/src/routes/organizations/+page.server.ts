import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import {
  addMemberAction,
  changeRoleAction,
  createOrganizationAction,
  leaveOrganizationAction,
  removeMemberAction,
  switchOrganizationAction,
} from '$lib/server/forms';

const ROLES = ['owner', 'admin', 'member', 'vps_manager', 'hosting_manager', 'support_agent', 'viewer'];

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  event.depends('live:organizations');
  const { api } = event.locals;
  const active = event.locals.activeMembership;
  const cursor = event.url.searchParams.get('cursor');
  const [organizations, members] = await Promise.all([
    settle(api.organizations({ cursor })),
    active ? settle(api.members(active.organizationId)) : null,
  ]);
  return {
    me: user,
    active,
    organizations,
    cursor,
    members,
    roles: ROLES,
    canManageMembers: active?.permissions.includes('members_manage') ?? false,
    isOwner: active?.role === 'owner',
  };
};

function activeOrganization(locals: App.Locals): string {
  const organizationId = locals.activeOrganizationId;
  if (!organizationId) error(400, 'Choose an organization first');
  return organizationId;
}

export const actions: Actions = {
  switch: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    // Back to the page the switcher was used on.
    const referer = event.request.headers.get('referer');
    let next: string | null = null;
    if (referer) {
      const url = new URL(referer);
      if (url.origin === event.url.origin) next = url.pathname.startsWith('/vps/') ? '/vps' : url.pathname;
    }
    return respond(event, await switchOrganizationAction(event.locals.api, form, next ?? '/organizations'));
  },
  create: async (event) => {
    requireUser(event);
    return respond(event, await createOrganizationAction(event.locals.api, await event.request.formData()));
  },
  addMember: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    return respond(event, await addMemberAction(event.locals.api, activeOrganization(event.locals), form));
  },
  changeRole: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    return respond(event, await changeRoleAction(event.locals.api, activeOrganization(event.locals), form));
  },
  removeMember: async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    return respond(event, await removeMemberAction(event.locals.api, activeOrganization(event.locals), form));
  },
  leave: async (event) => {
    const user = requireUser(event);
    return respond(
      event,
      await leaveOrganizationAction(event.locals.api, activeOrganization(event.locals), user.id),
    );
  },
};
