/**
 * The browser console's WebSocket protocol with the API (apps/api/src/modules/console): the ticket first, then
 * keystrokes and window sizes; the API answers ready, terminal output, and why the session ended. Pure, so the
 * page and tests share one reading of the messages.
 */

export type ConsoleClientMessage =
  /** cols/rows: the pty's first size (optional for the API). */
  | { type: 'auth'; ticket: string; cols?: number; rows?: number }
  | { type: 'input'; data: string }
  | { type: 'resize'; cols: number; rows: number };

export type ConsoleServerMessage =
  | { type: 'ready' }
  | { type: 'output'; data: string }
  | { type: 'error'; reason: string }
  | { type: 'closed'; reason: string };

/** What the server side of the page hands the browser: a single-use ticket and where to use it. */
export interface ConsoleTicketAnswer {
  ticket: string;
  websocketUrl: string;
  expiresAt: string | null;
}

export function encodeClientMessage(message: ConsoleClientMessage): string {
  return JSON.stringify(message);
}

/** The server message in a WebSocket frame, or null when it is not one (ignored, never thrown on). */
export function parseServerMessage(frame: unknown): ConsoleServerMessage | null {
  if (typeof frame !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(frame);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const message = value as Record<string, unknown>;
  switch (message.type) {
    case 'ready':
      return { type: 'ready' };
    case 'output':
      return typeof message.data === 'string' ? { type: 'output', data: message.data } : null;
    case 'error':
    case 'closed':
      return {
        type: message.type,
        reason:
          typeof message.reason === 'string' && message.reason
            ? message.reason
            : typeof message.message === 'string' && message.message
              ? message.message
              : message.type === 'closed'
                ? 'session ended'
                : 'console error',
      };
    default:
      return null;
  }
}

/** Terminal sizes the API accepts; xterm reports 0 before the first fit. */
export function validSize(cols: number, rows: number): boolean {
  return (
    Number.isInteger(cols) && Number.isInteger(rows) && cols >= 2 && rows >= 1 && cols <= 1000 && rows <= 1000
  );
}

/** A WebSocket close without a message from the API, in words. */
export function describeClose(code: number, reason: string): string {
  if (reason) return reason;
  if (code === 1000) return 'session ended';
  if (code === 1006) return 'connection lost';
  if (code === 1008) return 'refused by the API';
  return `connection closed (${code})`;
}
