import type { LayoutServerLoad } from './$types';
import { liveUrl } from '$lib/server/api';

export const load: LayoutServerLoad = async ({ locals, depends }) => {
  depends('app:session');
  let live: { url: string; ticket: string } | null = null;
  if (locals.user && locals.activeOrganizationId) {
    // A single-use ticket for the browser's live-updates socket; without one the page polls instead.
    try {
      const { ticket } = await locals.api.liveTicket();
      live = { url: liveUrl(), ticket };
    } catch {
      live = null;
    }
  }
  return {
    user: locals.user,
    memberships: locals.memberships,
    moreMemberships: locals.moreMemberships,
    activeOrganizationId: locals.activeOrganizationId,
    activeMembership: locals.activeMembership,
    sessionProblem: locals.sessionProblem,
    impersonating: locals.user !== null && locals.impersonatorId !== null,
    live,
  };
};
