import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { ApiRequestError } from '$lib/server/api';
import { requestConsoleTicket } from '$lib/console/console-ticket.server';

const noStore = { 'cache-control': 'no-store' };
const problem = (status: number, error: string, message: string) =>
  json({ error, message, details: null }, { status, headers: noStore });

/**
 * POST: a fresh single-use console ticket for this server and the API's WebSocket URL. Same-origin only: the
 * answer lets its holder type into the server.
 */
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== url.origin)
    return problem(403, 'forbidden', 'Cross-origin request refused');
  if (!locals.user) return problem(401, 'unauthorized', 'Sign in first');
  const organizationId = locals.activeOrganizationId;
  if (!organizationId) return problem(404, 'not_found', 'Not found');
  try {
    return json(await requestConsoleTicket(locals, organizationId, params.id), { headers: noStore });
  } catch (cause) {
    if (!(cause instanceof ApiRequestError)) throw cause;
    // Whatever the customer may not see does not exist for them.
    const status = cause.status === 403 ? 404 : cause.status;
    return problem(
      status >= 400 && status < 600 ? status : 502,
      status === 404 ? 'not_found' : cause.code,
      status === 404 ? 'Not found' : cause.message,
    );
  }
};
