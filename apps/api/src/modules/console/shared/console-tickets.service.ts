import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, type Clock } from '../../../shared/event-sourcing/tokens';
import { WebSocketTickets } from '../../../shared/websocket-tickets/websocket-tickets.store';
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

/** Tickets not yet used, per user: more are refused until some expire (a page opens one at a time). */
const MAX_PENDING_PER_USER = 20;

/**
 * Console tickets: a random 256-bit value, stored only as its SHA-256 (the database shows no usable ticket), single
 * use, valid CONSOLE_TICKET_TTL_SECONDS, in PostgreSQL (WebSocketTickets), so that any API instance opens the
 * console with a ticket another one issued.
 */
@Injectable()
export class ConsoleTickets {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly store: WebSocketTickets,
  ) {}

  async issue(grant: ConsoleGrant): Promise<{ ticket: string; expiresAt: Date } | null> {
    const now = this.clock.now();
    const ticket = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + CONSOLE_TICKET_TTL_SECONDS * 1000);
    const stored = await this.store.issue(
      { id: hash(ticket), kind: 'console', userId: grant.userId, grant, expiresAt },
      now,
      MAX_PENDING_PER_USER,
    );
    return stored ? { ticket, expiresAt } : null;
  }

  /** Uses the ticket up, valid or not: a ticket is presented once. */
  async consume(ticket: string): Promise<ConsumedTicket> {
    const presented = await this.store.present(hash(ticket), 'console', this.clock.now());
    if (!presented) return { ok: false, reason: 'unknown' };
    if (presented.uses > 1) return { ok: false, reason: 'reused' };
    if (presented.expired) return { ok: false, reason: 'expired' };
    const { userId, platformRole, organizationId, vpsId } = presented.grant as unknown as ConsoleGrant;
    return { ok: true, grant: { userId, platformRole, organizationId, vpsId } };
  }
}

function hash(ticket: string): string {
  return createHash('sha256').update(ticket, 'utf8').digest('hex');
}
