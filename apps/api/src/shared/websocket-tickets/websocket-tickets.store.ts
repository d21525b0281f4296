import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { ProjectionsOrm } from '@stratus/projections';
import { schedulePruning } from '../rate-limit/pruning';
import { PROJECTIONS_ORM } from '../read-models/tokens';

export type WebSocketTicketKind = 'console' | 'live';

/** A ticket presented: how often it has been presented, this time included, and whether it had expired. */
export interface PresentedTicket {
  uses: number;
  expired: boolean;
  userId: string;
  grant: Record<string, unknown> | null;
}

/** Rows are kept this long past their expiry, so a late use still says "expired" or "already used". */
const KEEP_AFTER_EXPIRY = '10 minutes';

/**
 * WebSocket tickets in PostgreSQL, so that a ticket one API instance issued opens a socket on any other, once in
 * all: console tickets from issue to use (by the SHA-256 of their random value), live tickets (signed, checked
 * without the database) from their first redemption. Times come from the callers' clock.
 */
@Injectable()
export class WebSocketTickets implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WebSocketTickets');
  private stopPruning: (() => void) | null = null;

  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  onModuleInit(): void {
    this.stopPruning = schedulePruning(() => this.prune(), this.logger, 'WebSocket tickets');
  }

  onModuleDestroy(): void {
    this.stopPruning?.();
  }

  /**
   * Stores an unused ticket unless its user already has `maxPending` unused unexpired ones of this kind (then
   * false). The count and the insert are one statement: racing issues may overshoot by their number, no more.
   */
  async issue(
    ticket: { id: string; kind: WebSocketTicketKind; userId: string; grant: object; expiresAt: Date },
    now: Date,
    maxPending: number,
  ): Promise<boolean> {
    const inserted = await this.orm.em.getConnection().execute<{ id: string }[]>(
      `insert into websocket_tickets (id, kind, user_id, "grant", expires_at, uses)
       select ?, ?, ?, ?::jsonb, ?, 0
       where (select count(*) from websocket_tickets
              where user_id = ? and kind = ? and uses = 0 and expires_at > ?) < ?
       returning id`,
      [
        ticket.id,
        ticket.kind,
        ticket.userId,
        JSON.stringify(ticket.grant),
        ticket.expiresAt,
        ticket.userId,
        ticket.kind,
        now,
        maxPending,
      ],
    );
    return inserted.length > 0;
  }

  /** Presents an issued ticket (counted whether valid or not: a ticket is presented once); null: never issued. */
  async present(id: string, kind: WebSocketTicketKind, now: Date): Promise<PresentedTicket | null> {
    const [row] = await this.orm.em
      .getConnection()
      .execute<{ uses: number; expired: boolean; user_id: string; grant: Record<string, unknown> | null }[]>(
        `update websocket_tickets set uses = uses + 1
       where id = ? and kind = ?
       returning uses, expires_at <= ? as expired, user_id, "grant"`,
        [id, kind, now],
      );
    return row ? { uses: row.uses, expired: row.expired, userId: row.user_id, grant: row.grant } : null;
  }

  /** Records the first redemption of a self-contained ticket: true the first time, false ever after. */
  async redeemOnce(id: string, kind: WebSocketTicketKind, userId: string, expiresAt: Date): Promise<boolean> {
    const inserted = await this.orm.em.getConnection().execute<{ id: string }[]>(
      `insert into websocket_tickets (id, kind, user_id, expires_at, uses) values (?, ?, ?, ?, 1)
       on conflict (id) do nothing returning id`,
      [id, kind, userId, expiresAt],
    );
    return inserted.length > 0;
  }

  async prune(): Promise<number> {
    const [row] = await this.orm.em.getConnection().execute<{ n: number }[]>(
      `with gone as (delete from websocket_tickets where expires_at < now() - interval '${KEEP_AFTER_EXPIRY}' returning 1)
       select count(*)::int as n from gone`,
    );
    return row?.n ?? 0;
  }
}
