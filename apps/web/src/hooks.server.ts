import type { Handle } from '@sveltejs/kit';
import {
  ApiRequestError,
  clearSessionCookie,
  createApiClient,
  endImpersonationCookies,
  liveUrl,
  POSITION_COOKIE,
  SESSION_COOKIE,
  STAFF_SESSION_COOKIE,
} from '$lib/server/api';
import { secureResponse, websocketOrigins } from '$lib/server/security-headers';
import { defaultConsoleUrl } from '$lib/console/console-ticket.server';

/**
 * Every request: the session JWT lives in an httpOnly cookie; GET /api/me with it tells who is signed in (the API
 * verifies the token), which organizations they belong to, and whether staff are acting as them (impersonation). A
 * token the API refuses is dropped (an impersonation's: the staff member's own session comes back); an API that does
 * not answer leaves the cookie alone (the user is not logged out by an outage). Every answer gets the security
 * headers (security-headers.ts).
 */
export const handle: Handle = async ({ event, resolve }) => {
  let forwardedFor: string | null = null;
  try {
    forwardedFor = event.getClientAddress();
  } catch {
    // not available (e.g. prerendering)
  }
  const clientFor = (token: string | null) =>
    createApiClient({
      token,
      minPosition: event.cookies.get(POSITION_COOKIE) ?? null,
      forwardedFor,
      userAgent: event.request.headers.get('user-agent'),
    });
  let token = event.cookies.get(SESSION_COOKIE) ?? null;
  event.locals.api = clientFor(token);
  event.locals.user = null;
  event.locals.memberships = [];
  event.locals.moreMemberships = false;
  event.locals.activeOrganizationId = null;
  event.locals.activeMembership = null;
  event.locals.sessionProblem = null;
  event.locals.impersonatorId = null;

  while (token && event.url.pathname !== '/health') {
    try {
      const me = await event.locals.api.me();
      event.locals.user = me.user;
      event.locals.memberships = me.memberships;
      event.locals.moreMemberships = me.moreMemberships;
      event.locals.impersonatorId = me.impersonatorId;
      // The active organization, or the first one when it was never chosen (or the user left it).
      const active =
        me.memberships.find((m) => m.organizationId === me.activeOrganizationId) ?? me.memberships[0] ?? null;
      event.locals.activeMembership = active;
      event.locals.activeOrganizationId = active?.organizationId ?? null;
      break;
    } catch (cause) {
      if (!(cause instanceof ApiRequestError && cause.status === 401)) {
        event.locals.sessionProblem =
          cause instanceof Error ? cause.message : 'The session could not be checked';
        break;
      }
      // An impersonation that expired or was ended elsewhere: back to the staff member's own session, once.
      if (event.cookies.get(STAFF_SESSION_COOKIE)) {
        token = endImpersonationCookies(event.cookies, event.url);
        event.locals.api = clientFor(token);
        continue;
      }
      clearSessionCookie(event.cookies);
      event.locals.api = clientFor(null);
      break;
    }
  }

  // The API's WebSockets as the browser opens them: live updates and the console.
  return secureResponse(await resolve(event), websocketOrigins([liveUrl(), defaultConsoleUrl()]));
};
