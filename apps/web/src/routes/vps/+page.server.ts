import type { PageServerLoad } from './$types';
import { requireActiveOrganization, settle } from '$lib/server/api';
import { statusFilter } from '$lib/server/forms';

export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  event.depends('live:vps');
  const status = statusFilter(event.url.searchParams.get('status'));
  const query = (event.url.searchParams.get('q') ?? '').trim();
  const servers = await settle(event.locals.api.servers(membership.organizationId, status));
  return {
    status,
    query,
    servers: servers.ok
      ? {
          ...servers,
          value: servers.value.filter((s) => !query || s.label.toLowerCase().includes(query.toLowerCase())),
        }
      : servers,
    canCreate: membership.permissions.includes('vps_create'),
  };
};
