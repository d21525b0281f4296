import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../shared/event-sourcing/tokens';
import { CONSOLE_TICKET_TTL_SECONDS } from './console-settings';

/** What a ticket lets its bearer do: open one console on one server, as one user. */
export interface ConsoleGrant {
  userId: string;
  platformRole: string;
  organizationId: string;
  vpsId: string;
  /** The ticket was asked for in an impersonation session, or with an API key: the console's events say so. */
  impersonatorId?: string;
  apiKeyId?: string;
}

export type ConsumedTicket =
  { ok: true; grant: ConsoleGrant } | { ok: false; reason: 'unknown' | 'expired' | 'reused' };

interface StoredTicket extends ConsoleGrant {
  expiresAtMs: number;
}

/** Tickets not yet used, per user: more are refused until some expire (a page opens one at a time). */
const MAX_PENDING_PER_USER = 20;

/**
 * Console tickets, in this process's memory: a random 256-bit value, kept only as its SHA-256 (a heap dump
 * shows no usable ticket), single use, valid CONSOLE_TICKET_TTL_SECONDS. In memory means one API instance
 * (or sticky routing of /api/console to the instance that issued the ticket); the ticket endpoint and
 * the WebSocket are served by the same process here.
 */
@Injectable()
export class ConsoleTickets {
  private readonly pending = new Map<string, StoredTicket>();
  /** Hashes of used tickets (for a while), to tell "already used" from "unknown". */
  private readonly used = new Map<string, number>();

  constructor(@Inject(CLOCK) private readonly clock: Clock) {}

  issue(grant: ConsoleGrant): { ticket: string; expiresAt: Date } | null {
    const now = this.clock.now().getTime();
    this.prune(now);
    let pendingForUser = 0;
    for (const stored of this.pending.values()) if (stored.userId === grant.userId) pendingForUser++;
    if (pendingForUser >= MAX_PENDING_PER_USER) return null;
    const ticket = randomBytes(32).toString('base64url');
    const expiresAtMs = now + CONSOLE_TICKET_TTL_SECONDS * 1000;
    this.pending.set(hash(ticket), { ...grant, expiresAtMs });
    return { ticket, expiresAt: new Date(expiresAtMs) };
  }

  /** Uses the ticket up, valid or not: a ticket is presented once. */
  consume(ticket: string): ConsumedTicket {
    const now = this.clock.now().getTime();
    const key = hash(ticket);
    const stored = this.pending.get(key);
    if (!stored) {
      const usedUntil = this.used.get(key);
      return { ok: false, reason: usedUntil !== undefined && usedUntil > now ? 'reused' : 'unknown' };
    }
    this.pending.delete(key);
    // Remembered one TTL past expiry, like unused tickets, so a late second use still says "already used".
    this.used.set(key, stored.expiresAtMs + CONSOLE_TICKET_TTL_SECONDS * 1000);
    if (stored.expiresAtMs <= now) return { ok: false, reason: 'expired' };
    const { expiresAtMs: _expires, ...grant } = stored;
    return { ok: true, grant };
  }

  private prune(now: number): void {
    // Expired tickets stay one more TTL so that presenting one late still says "expired".
    const forgetBefore = now - CONSOLE_TICKET_TTL_SECONDS * 1000;
    for (const [key, stored] of this.pending)
      if (stored.expiresAtMs <= forgetBefore) this.pending.delete(key);
    for (const [key, until] of this.used) if (until <= now) this.used.delete(key);
  }
}

function hash(ticket: string): string {
  return createHash('sha256').update(ticket, 'utf8').digest('hex');
}
