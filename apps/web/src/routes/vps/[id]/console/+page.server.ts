import type { PageServerLoad } from './$types';
import { loadOrFail, requireActiveOrganization } from '$lib/server/api';

/** The server's name and state for the console's title bar; tickets come from ./ticket (one per connection). */
export const load: PageServerLoad = async (event) => {
  const membership = requireActiveOrganization(event);
  const server = await loadOrFail(event.locals.api.server(membership.organizationId, event.params.id));
  return {
    server: { id: server.id, label: server.label, status: server.status, ipv4: server.ipv4 },
  };
};
