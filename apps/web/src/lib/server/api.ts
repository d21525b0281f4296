import { env } from '$env/dynamic/private';

/** Base URL of the API as this server reaches it (API_URL in the config schema). */
export function apiUrl(): string {
  return (env.API_URL || 'http://localhost:3001/api').replace(/\/+$/, '');
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
