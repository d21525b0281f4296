import type { DomainEvent } from '../shared/decider';

/**
 * Stream `console-<vpsId>`: the browser SSH console of one server. The host key is pinned on first use;
 * sessions are audited (who, from where, how long, how many bytes), never what was typed.
 */
export type ConsoleHostKeyPinned = DomainEvent<
  'ConsoleHostKeyPinned',
  {
    vpsId: string;
    organizationId: string;
    /** SSH key type as the server announced it, e.g. "ssh-ed25519". */
    algorithm: string;
    /** OpenSSH form: "SHA256:" + unpadded base64 of the SHA-256 of the key blob. */
    fingerprint: string;
  }
>;
export type ConsoleSessionOpened = DomainEvent<
  'ConsoleSessionOpened',
  {
    sessionId: string;
    vpsId: string;
    organizationId: string;
    userId: string;
    ip: string | null;
    userAgent: string | null;
    /** The decision's instant (command metadata): durations are measured from it. */
    openedAt: string;
    /**
     * The API instance holding the session (hostname:port), so that after a crash that instance closes
     * what it left open, and no other instance's sessions. Absent in events recorded before it existed.
     */
    instanceId?: string;
  }
>;
export type ConsoleSessionClosed = DomainEvent<
  'ConsoleSessionClosed',
  {
    sessionId: string;
    vpsId: string;
    reason: string;
    durationSeconds: number;
    /** Bytes typed into the shell (browser → server) and printed by it (server → browser). */
    bytesIn: number;
    bytesOut: number;
    /**
     * Closed after its API instance died (reason "api_restarted"): the duration runs to that instance's
     * next start, an upper bound, and the byte counts died with the process (recorded as 0).
     */
    durationIsUpperBound?: true;
    bytesUnknown?: true;
  }
>;

/**
 * The server was rebuilt (a new system, so a new SSH host key): the pinned key no longer says who the server is.
 * The next console connection pins the key it is shown (trust on first use again). Recorded by the rebuild's
 * workflow once the provider rebuilt the instance.
 */
export type ConsoleHostKeyReset = DomainEvent<
  'ConsoleHostKeyReset',
  {
    vpsId: string;
    /** The operation that rebuilt the server. */
    operationId: string;
    /** The key that was pinned until then (null: none was). */
    previous: { algorithm: string; fingerprint: string } | null;
  }
>;

export type ConsoleEvent =
  ConsoleHostKeyPinned | ConsoleSessionOpened | ConsoleSessionClosed | ConsoleHostKeyReset;
