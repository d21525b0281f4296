import { env } from '$env/dynamic/private';
import { error, redirect, type Cookies, type RequestEvent } from '@sveltejs/kit';
import { streamFromApi } from './admin-api';
import { ApiClient, ApiRequestError, type MembershipView } from './api-client';
import { tokenLifetimeSeconds } from './session-token';

export * from './api-client';
export { tokenLifetimeSeconds } from './session-token';

/** Base URL of the API as this server reaches it (API_URL in the config schema). */
export function apiUrl(): string {
  return (env.API_URL || 'http://localhost:3001/api').replace(/\/+$/, '');
}

/**
 * WebSocket URL of the API's live-updates gateway as the browser reaches it: LIVE_URL when the API is not reachable
 * by the browser at API_URL (e.g. behind a proxy), else API_URL with ws(s): and /live.
 */
export function liveUrl(): string {
  if (env.LIVE_URL) return env.LIVE_URL;
  return `${apiUrl().replace(/^http/, 'ws')}/live`;
}

/** The httpOnly cookie holding the API's session JWT; the browser's scripts never see it. */
export const SESSION_COOKIE = 'stratus_session';
/** The last command's event-store position, sent as X-Min-Position for a few seconds (read your own writes). */
export const POSITION_COOKIE = 'stratus_position';
const POSITION_TTL_SECONDS = 10;

export function createApiClient(
  options: {
    token?: string | null;
    minPosition?: string | null;
    forwardedFor?: string | null;
    userAgent?: string | null;
  } = {},
): ApiClient {
  return new ApiClient({ baseUrl: apiUrl(), ...options });
}

/** Secure when the portal is served over https; Lax keeps the cookie off cross-site posts. */
export function setSessionCookie(cookies: Cookies, url: URL, token: string): void {
  cookies.set(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    maxAge: tokenLifetimeSeconds(token, Date.now()) ?? 60 * 60,
  });
}

/**
 * While staff impersonate a user, the session cookie holds the impersonation token and the staff member's own token
 * waits here (httpOnly, like the session cookie, and no longer than that token lives); stopping puts it back.
 */
export const STAFF_SESSION_COOKIE = 'stratus_staff_session';

/** Staff start impersonating: their token is set aside, the impersonation token becomes the session. */
export function startImpersonationCookies(cookies: Cookies, url: URL, impersonationToken: string): void {
  const staffToken = cookies.get(SESSION_COOKIE);
  if (staffToken) {
    cookies.set(STAFF_SESSION_COOKIE, staffToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      maxAge: tokenLifetimeSeconds(staffToken, Date.now()) ?? 60 * 60,
    });
  }
  setSessionCookie(cookies, url, impersonationToken);
}

/**
 * The impersonation is over (stopped, or its token refused): the staff member's own token is the session again.
 * Returns it, or null when there was none (they sign in again).
 */
export function endImpersonationCookies(cookies: Cookies, url: URL): string | null {
  const staffToken = cookies.get(STAFF_SESSION_COOKIE) ?? null;
  cookies.delete(STAFF_SESSION_COOKIE, { path: '/' });
  if (staffToken) setSessionCookie(cookies, url, staffToken);
  else clearSessionCookie(cookies);
  return staffToken;
}

/** The mfaToken between a sign-in's password and its second factor (httpOnly, only the /login pages get it). */
export const MFA_COOKIE = 'stratus_mfa';
const MFA_COOKIE_PATH = '/login';

export function setMfaCookie(cookies: Cookies, url: URL, mfaToken: string): void {
  cookies.set(MFA_COOKIE, mfaToken, {
    path: MFA_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    maxAge: tokenLifetimeSeconds(mfaToken, Date.now()) ?? 5 * 60,
  });
}

export function clearMfaCookie(cookies: Cookies): void {
  cookies.delete(MFA_COOKIE, { path: MFA_COOKIE_PATH });
}

export function clearSessionCookie(cookies: Cookies): void {
  cookies.delete(SESSION_COOKIE, { path: '/' });
  cookies.delete(POSITION_COOKIE, { path: '/' });
}

export function rememberPosition(cookies: Cookies, url: URL, position: string | null | undefined): void {
  if (!position) return;
  cookies.set(POSITION_COOKIE, position, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: url.protocol === 'https:',
    maxAge: POSITION_TTL_SECONDS,
  });
}

/** The signed-in user or a redirect to the login page (coming back here afterwards). */
export function requireUser(event: Pick<RequestEvent, 'locals' | 'url'>): NonNullable<App.Locals['user']> {
  const user = event.locals.user;
  // A session the API could not check (outage) is not a logged-out user: say so instead of asking to log in.
  if (!user && event.locals.sessionProblem) error(503, event.locals.sessionProblem);
  if (!user) {
    const next = event.url.pathname + event.url.search;
    redirect(303, `/login?next=${encodeURIComponent(next)}`);
  }
  return user;
}

/** Staff only: anonymous visitors go to the login page, customers get a 404 (the area does not exist for them). */
export function requirePlatformAdmin(
  event: Pick<RequestEvent, 'locals' | 'url'>,
): NonNullable<App.Locals['user']> {
  const user = requireUser(event);
  if (user.platformRole !== 'admin') error(404, 'Not found');
  return user;
}

/** The active organization's membership of the signed-in user, or a redirect to /organizations to pick one. */
export function requireActiveOrganization(event: Pick<RequestEvent, 'locals' | 'url'>): MembershipView {
  requireUser(event);
  const membership = event.locals.activeMembership;
  if (!membership) redirect(303, '/organizations');
  return membership;
}

/** Turns an API failure inside a load into SvelteKit's error page with the API's status and message. */
export function failLoad(cause: unknown): never {
  if (cause instanceof ApiRequestError) {
    // Staff without 2FA (STAFF_REQUIRE_2FA) are sent to turn it on rather than shown a dead end.
    if (cause.code === 'two_factor_required') redirect(303, '/account/two-factor?required=staff');
    // Anything the customer may not see is simply not found (cross-tenant ids included).
    const status = cause.status === 403 ? 404 : cause.status;
    error(status >= 400 && status < 600 ? status : 502, {
      message: status === 404 ? 'Not found' : cause.message,
      code: cause.code,
    });
  }
  throw cause;
}

/** Runs an API call in a load, turning failures into the error page. */
export async function loadOrFail<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (cause) {
    failLoad(cause);
  }
}

/** An API call whose failure the page shows in place (a section's error state) instead of failing the page. */
export async function settle<T>(
  call: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; status: number; message: string }> {
  try {
    return { ok: true, value: await call };
  } catch (cause) {
    if (cause instanceof ApiRequestError) return { ok: false, status: cause.status, message: cause.message };
    return { ok: false, status: 500, message: cause instanceof Error ? cause.message : String(cause) };
  }
}

export type ApiHealth =
  { reachable: true; ok: boolean; status: number; body: unknown } | { reachable: false; error: string };

/** GET ${API_URL}/health, server-side, never throwing: the page shows whatever happened. */
export async function fetchApiHealth(fetchFn: typeof fetch = fetch, timeoutMs = 3000): Promise<ApiHealth> {
  try {
    const response = await fetchFn(`${apiUrl()}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON; show the text
    }
    return { reachable: true, ok: response.ok, status: response.status, body };
  } catch (error) {
    return { reachable: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * A customer download (invoice and statement PDFs) streamed from the API through this server with the session's
 * token, so the browser never holds it. API errors become the error page (another organization's document: 404).
 */
export async function proxyCustomerDownload(
  event: Pick<RequestEvent, 'locals' | 'url' | 'cookies'>,
  path: string,
): Promise<Response> {
  requireUser(event);
  try {
    return await streamFromApi({
      baseUrl: apiUrl(),
      token: event.cookies.get(SESSION_COOKIE) ?? null,
      path,
      fetch,
    });
  } catch (cause) {
    failLoad(cause);
  }
}
