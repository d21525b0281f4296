/**
 * WebSocket close codes of the console (4000-4999 are the application's own). Every refusal closes the
 * socket with one of these and a human-readable reason, before any SSH connection is opened (except
 * 4495, which is only known once the server showed its host key, and 4502).
 */
export const CONSOLE_CLOSE = {
  /** The shell exited or the browser closed the session. */
  normal: 1000,
  /** The API is shutting down. */
  goingAway: 1001,
  /** Unexpected failure inside the API (e.g. the audit event could not be written). */
  internalError: 1011,
  /** Malformed message: not JSON, unknown type, binary frame, input before the ticket. */
  badMessage: 4400,
  /** No ticket, or an unknown, expired or already used one. */
  ticketInvalid: 4401,
  /** Origin not allowed, or the user lacks (or lost) vps_manage. */
  forbidden: 4403,
  /** The organization or the server does not exist for this user (cross-tenant ids too). */
  notFound: 4404,
  /** No input for CONSOLE_IDLE_TIMEOUT_SECONDS. */
  idle: 4408,
  /** The server is not active (provisioning, suspended, deleting, deleted...). */
  serverNotRunning: 4409,
  /** A frame above the size limit. */
  frameTooLarge: 4413,
  /** Too many sessions for this user or for this API instance. */
  tooManySessions: 4429,
  /** The server's SSH host key differs from the pinned one: no login was attempted. */
  hostKeyChanged: 4495,
  /** The SSH connection failed (unreachable, refused login, lost). */
  sshFailed: 4502,
} as const;

export type ConsoleCloseCode = (typeof CONSOLE_CLOSE)[keyof typeof CONSOLE_CLOSE];

/** A refusal with the close code and reason the browser receives. */
export class ConsoleRefusal extends Error {
  override readonly name = 'ConsoleRefusal';
  constructor(
    readonly code: ConsoleCloseCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Close reasons travel in the close frame, which allows 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= 123) return text;
  let cut = bytes.subarray(0, 120).toString('utf8');
  // A multi-byte character cut in half decodes to U+FFFD: drop it.
  cut = cut.replace(/\uFFFD$/, '');
  return `${cut}...`;
}
