import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { ApiRequestError, liveUrl } from '$lib/server/api';

/** A fresh single-use live ticket for the signed-in browser (reconnects); the session token stays server-side. */
export const POST: RequestHandler = async ({ locals, request, url }) => {
  // Same-origin only (SameSite=Lax already keeps the cookie off cross-site posts; this says so explicitly).
  const origin = request.headers.get('origin');
  if (origin !== null && origin !== url.origin) error(403, 'Cross-origin request refused');
  if (!locals.user) error(401, 'Sign in first');
  try {
    const { ticket } = await locals.api.liveTicket();
    return json({ url: liveUrl(), ticket }, { headers: { 'cache-control': 'no-store' } });
  } catch (cause) {
    if (cause instanceof ApiRequestError) error(cause.status === 401 ? 401 : 503, cause.message);
    throw cause;
  }
};
