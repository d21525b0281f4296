/**
 * The server side of the console page: asks the API for a single-use console ticket with the visitor's session
 * (locals.api carries the session cookie's token), so the browser gets a ticket and never the token.
 */
import { env } from '$env/dynamic/private';
import { apiUrl } from '$lib/server/api';
import type { ConsoleTicketAnswer } from './console-protocol';

interface ApiConsoleTicket {
  ticket: string;
  expiresAt?: string | null;
  websocketUrl?: string | null;
}

/**
 * Where the browser reaches the API's console socket when the API does not say: CONSOLE_WS_URL (the API's setting,
 * which the portal's Content-Security-Policy must allow too), else API_URL with ws(s): + /console.
 */
export function defaultConsoleUrl(): string {
  return env.CONSOLE_WS_URL || `${apiUrl().replace(/^http/, 'ws')}/console`;
}

export async function requestConsoleTicket(
  locals: App.Locals,
  organizationId: string,
  vpsId: string,
): Promise<ConsoleTicketAnswer> {
  const answer = await locals.api.post<ApiConsoleTicket>(
    `/organizations/${encodeURIComponent(organizationId)}/vps/${encodeURIComponent(vpsId)}/console-tickets`,
    {},
  );
  return {
    ticket: answer.ticket,
    websocketUrl: answer.websocketUrl || defaultConsoleUrl(),
    expiresAt: answer.expiresAt ?? null,
  };
}
