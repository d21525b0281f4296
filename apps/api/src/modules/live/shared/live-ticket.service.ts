import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../../../shared/config/api-config';
import { WebSocketTickets } from '../../../shared/websocket-tickets/websocket-tickets.store';

/** How long a ticket may wait between the page load that asked for it and the browser's connect. */
export const LIVE_TICKET_TTL_SECONDS = 60;

export interface LiveTicketClaims {
  userId: string;
  ticketId: string;
  expiresAt: number;
}

/**
 * Single-use tickets for the live-updates socket, so that the browser never holds the session token: the web server
 * (holding the session) asks for one during page load and hands it to the page. A ticket is an HMAC-signed
 * `{ sub, jti, exp }` (key derived from the JWT secret, so any API instance can check it, without the database); a
 * redeemed ticket id is recorded in PostgreSQL (WebSocketTickets), so a ticket opens one socket across all instances.
 */
@Injectable()
export class LiveTicketService {
  private readonly key: Buffer;

  constructor(
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly store: WebSocketTickets,
  ) {
    this.key = createHash('sha256').update(`stratus-live-ticket:${config.jwt.secret}`).digest();
  }

  issue(userId: string, nowMs = Date.now()): { ticket: string; expiresAt: string } {
    const expiresAt = Math.floor(nowMs / 1000) + LIVE_TICKET_TTL_SECONDS;
    const payload = Buffer.from(JSON.stringify({ sub: userId, jti: randomUUID(), exp: expiresAt })).toString(
      'base64url',
    );
    return {
      ticket: `${payload}.${this.sign(payload)}`,
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }

  /** The ticket's claims if it is genuine, unexpired and not used before (on any instance); marks it used. */
  async redeem(ticket: string | null | undefined, nowMs = Date.now()): Promise<LiveTicketClaims | null> {
    const claims = this.verify(ticket, nowMs);
    if (!claims) return null;
    const first = await this.store.redeemOnce(
      claims.ticketId,
      'live',
      claims.userId,
      new Date(claims.expiresAt * 1000),
    );
    return first ? claims : null;
  }

  /** The ticket's claims if it is genuine and unexpired (used or not). */
  verify(ticket: string | null | undefined, nowMs = Date.now()): LiveTicketClaims | null {
    if (!ticket || ticket.length > 1000) return null;
    const [payload, signature, extra] = ticket.split('.');
    if (!payload || !signature || extra !== undefined) return null;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    let claims: { sub?: unknown; jti?: unknown; exp?: unknown };
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof claims.sub !== 'string' || typeof claims.jti !== 'string' || typeof claims.exp !== 'number') {
      return null;
    }
    if (claims.exp < Math.floor(nowMs / 1000)) return null;
    return { userId: claims.sub, ticketId: claims.jti, expiresAt: claims.exp };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }
}
