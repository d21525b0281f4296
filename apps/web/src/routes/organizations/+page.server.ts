import { error } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { requireUser, settle } from '$lib/server/api';
import { respond } from '$lib/server/actions';
import {
  changeRoleAction,
  createOrganizationAction,
  createRoleAction,
  deleteRoleAction,
  inviteAction,
  leaveOrganizationAction,
  removeMemberAction,
  revokeInvitationAction,
  switchOrganizationAction,
  updateRoleAction,
} from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  const user = requireUser(event);
  event.depends('live:organizations');
  const { api } = event.locals;
  const active = event.locals.activeMembership;
  const canManageMembers = active?.permissions.includes('members_manage') ?? false;
  const cursor = event.url.searchParams.get('cursor');
  const [organizations, members, roles, invitations] = await Promise.all([
    settle(api.organizations({ cursor })),
    active ? settle(api.members(active.organizationId)) : null,
    active ? settle(api.roles(active.organizationId)) : null,
    active && canManageMembers ? settle(api.invitations(active.organizationId)) : null,
  ]);
  const mine = new Set<string>(active?.permissions ?? []);
  return {
    me: user,
    active,
    organizations,
    cursor,
    members,
    roles,
    invitations,
    canManageMembers,
    /** Nobody gives a role, or a permission, they do not hold (the API refuses it too). */
    assignableRoleIds: roles?.ok
      ? roles.value.items.filter((r) => r.permissions.every((p) => mine.has(p))).map((r) => r.roleId)
      : [],
    myPermissions: [...mine],
  };
};

function activeOrganization(locals: App.Locals): string {
  const organizationId = locals.activeOrganizationId;
  if (!organizationId) error(400, 'Choose an organization first');
  return organizationId;
}

/** The actions on the active organization: each reads its form and calls the API with it. */
const onActive =
  (action: typeof inviteAction): Actions[string] =>
  async (event) => {
    requireUser(event);
    const form = await event.request.formData();
    return respond(event, await action(event.locals.api, activeOrganization(event.locals), form));
  };

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
  invite: onActive(inviteAction),
  revokeInvitation: onActive(revokeInvitationAction),
  changeRole: onActive(changeRoleAction),
  removeMember: onActive(removeMemberAction),
  createRole: onActive(createRoleAction),
  updateRole: onActive(updateRoleAction),
  deleteRole: onActive(deleteRoleAction),
  leave: async (event) => {
    const user = requireUser(event);
    return respond(
      event,
      await leaveOrganizationAction(event.locals.api, activeOrganization(event.locals), user.id),
    );
  },
};
