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
  }
>;

export type ConsoleEvent = ConsoleHostKeyPinned | ConsoleSessionOpened | ConsoleSessionClosed;
