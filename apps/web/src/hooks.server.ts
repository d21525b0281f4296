import type { Handle } from '@sveltejs/kit';
import {
  ApiRequestError,
  clearSessionCookie,
  createApiClient,
  liveUrl,
  POSITION_COOKIE,
  SESSION_COOKIE,
} from '$lib/server/api';
import { secureResponse, websocketOrigins } from '$lib/server/security-headers';
import { defaultConsoleUrl } from '$lib/console/console-ticket.server';

/**
 * Every request: the session JWT lives in an httpOnly cookie; GET /api/me with it tells who is signed in (the API
 * verifies the token) and which organizations they belong to. A token the API refuses is dropped; an API that does
 * not answer leaves the cookie alone (the user is not logged out by an outage). Every answer gets the security
 * headers (security-headers.ts).
 */
export const handle: Handle = async ({ event, resolve }) => {
  const token = event.cookies.get(SESSION_COOKIE) ?? null;
  let forwardedFor: string | null = null;
  try {
    forwardedFor = event.getClientAddress();
  } catch {
    // not available (e.g. prerendering)
  }
  event.locals.api = createApiClient({
    token,
    minPosition: event.cookies.get(POSITION_COOKIE) ?? null,
    forwardedFor,
    userAgent: event.request.headers.get('user-agent'),
  });
  event.locals.user = null;
  event.locals.memberships = [];
  event.locals.moreMemberships = false;
  event.locals.activeOrganizationId = null;
  event.locals.activeMembership = null;
  event.locals.sessionProblem = null;

  if (token && event.url.pathname !== '/health') {
    try {
      const me = await event.locals.api.me();
      event.locals.user = me.user;
      event.locals.memberships = me.memberships;
      event.locals.moreMemberships = me.moreMemberships;
      // The active organization, or the first one when it was never chosen (or the user left it).
      const active =
        me.memberships.find((m) => m.organizationId === me.activeOrganizationId) ?? me.memberships[0] ?? null;
      event.locals.activeMembership = active;
      event.locals.activeOrganizationId = active?.organizationId ?? null;
    } catch (cause) {
      if (cause instanceof ApiRequestError && cause.status === 401) {
        clearSessionCookie(event.cookies);
      } else {
        event.locals.sessionProblem =
          cause instanceof Error ? cause.message : 'The session could not be checked';
      }
    }
  }

  // The API's WebSockets as the browser opens them: live updates and the console.
  return secureResponse(await resolve(event), websocketOrigins([liveUrl(), defaultConsoleUrl()]));
};
