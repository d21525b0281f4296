/**
 * Security headers on every portal response. Pages get SvelteKit's Content-Security-Policy (kit.csp in
 * svelte.config.js: nonces, frame-ancestors 'none') completed here with connect-src, because the API's WebSocket
 * origins (live updates, console) are run-time configuration; other responses (JSON, PDFs, redirects) get a policy
 * that allows nothing and no framing.
 */
/** What a response that is not a page may load: nothing; and nobody may frame it. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  // For browsers without CSP frame-ancestors.
  'x-frame-options': 'DENY',
};

/** Origins (scheme://host[:port]) of WebSocket URLs, once each. */
export function websocketOrigins(urls: readonly string[]): string[] {
  return [...new Set(urls.map((url) => new URL(url).origin))];
}

/** A page's policy with connect-src added: the portal itself and the API's WebSocket origins. */
export function withConnectSources(policy: string, origins: readonly string[]): string {
  const directives = policy
    .split(';')
    .map((directive) => directive.trim())
    .filter((directive) => directive && !/^connect-src(\s|$)/i.test(directive));
  return [...directives, ["connect-src 'self'", ...origins].join(' ')].join('; ');
}

/** The response with the security headers (a copy when its headers are immutable, as a fetch()'s are). */
export function secureResponse(response: Response, origins: readonly string[]): Response {
  const policy = response.headers.get('content-security-policy');
  const added: Record<string, string> = {
    ...SECURITY_HEADERS,
    'content-security-policy': policy ? withConnectSources(policy, origins) : NON_PAGE_CSP,
  };
  try {
    for (const [name, value] of Object.entries(added)) response.headers.set(name, value);
    return response;
  } catch {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(added)) headers.set(name, value);
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  }
}
