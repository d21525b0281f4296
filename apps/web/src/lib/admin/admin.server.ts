/** Binds the staff area's API client and downloads to the request (session cookie, API_URL). Server only. */
import { error, type RequestEvent } from '@sveltejs/kit';
import { apiUrl, ApiRequestError, requirePlatformAdmin, SESSION_COOKIE } from '$lib/server/api';
import { AdminApi, streamFromApi } from '$lib/server/admin-api';

/**
 * The admin API for this request, after checking the user is staff. Form actions run without the layout's load,
 * so every load and action goes through here (the API checks again; this keeps customers from reaching it at all).
 */
export function adminApi(event: Pick<RequestEvent, 'locals' | 'url'>): AdminApi {
  requirePlatformAdmin(event);
  return new AdminApi(event.locals.api);
}

/**
 * Streams an API download (JSON Lines, CSV) to the browser through this server, with the session's token, so the
 * browser never holds it. Staff only; API errors become the error page with the API's message.
 */
export async function proxyDownload(
  event: RequestEvent,
  path: string,
  search: URLSearchParams,
  filename: string,
): Promise<Response> {
  requirePlatformAdmin(event);
  try {
    const response = await streamFromApi({
      baseUrl: apiUrl(),
      token: event.cookies.get(SESSION_COOKIE) ?? null,
      path,
      search,
      fetch,
    });
    if (!response.headers.get('content-disposition')) {
      response.headers.set('content-disposition', `attachment; filename="${filename}"`);
    }
    return response;
  } catch (cause) {
    if (cause instanceof ApiRequestError) error(cause.status, { message: cause.message, code: cause.code });
    throw cause;
  }
}
