import type { IncomingMessage } from 'node:http';
import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { RawData, WebSocket } from 'ws';
import { OrganizationAccess } from '../../../shared/auth/organization-access.service';
import { ApiError } from '../../../shared/errors/api-error';
import {
  LIVE_MAX_MESSAGE_BYTES,
  LIVE_MESSAGE_BURST,
  LIVE_MESSAGES_PER_SECOND,
  LIVE_SETTINGS,
  type LiveSettings,
} from '../shared/live-settings';
import { LiveTicketService } from '../shared/live-ticket.service';
import { ProjectionChangeFeed, type LiveTopic } from '../shared/projection-change-feed.service';

/** Close codes the browser can tell apart. */
export const LIVE_CLOSE = {
  /** No valid, unused ticket. */
  ticketRequired: 4401,
  /** A message over LIVE_MAX_MESSAGE_BYTES, or binary. */
  messageTooLarge: 4413,
  /** Too many sockets of this user (LIVE_MAX_SOCKETS_PER_USER), or messages faster than allowed. */
  tooMany: 4429,
  /** The ticket could not be checked (database unavailable): try again. */
  internalError: 1011,
} as const;
const MAX_SUBSCRIPTIONS = 20;
const PING_INTERVAL_MS = 30_000;
/** The ws library's own cap, above the protocol's, so that the gateway answers 4413 itself. */
const WS_MAX_PAYLOAD = 64 * 1024;

interface Session {
  userId: string;
  organizations: Set<string>;
  alive: boolean;
  /** Token bucket of the message rate: messages it may send now, refilled LIVE_MESSAGES_PER_SECOND. */
  allowance: number;
  lastMessageAt: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Live updates: `ws(s)://<api>/api/live?ticket=<single-use ticket from POST /api/live/tickets>`. The client sends
 * `{ type: 'subscribe', organizationId }` for organizations it belongs to and receives
 * `{ type: 'invalidate', organizationId, topic }` when that organization's servers ('vps'), wallet ('wallet') or
 * members ('organizations') change in the read models ('wallet' only to members whose role has billing_view).
 * Nothing about other organizations is ever sent. Messages are at most LIVE_MAX_MESSAGE_BYTES of JSON text (else
 * 4413), at most LIVE_MESSAGE_BURST at once then LIVE_MESSAGES_PER_SECOND (else 4429); a user has at most
 * LIVE_MAX_SOCKETS_PER_USER sockets on an instance (else 4429). Messages sent before "ready" are answered after it.
 */
@WebSocketGateway({ path: '/api/live', maxPayload: WS_MAX_PAYLOAD })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private readonly sessions = new Map<WebSocket, Session>();
  private readonly unsubscribeFeed: () => void;
  private readonly pingTimer: NodeJS.Timeout;

  constructor(
    private readonly tickets: LiveTicketService,
    private readonly feed: ProjectionChangeFeed,
    private readonly access: OrganizationAccess,
    @Inject(LIVE_SETTINGS) private readonly settings: LiveSettings,
  ) {
    this.unsubscribeFeed = feed.onChange((organizationId, topic) => void this.changed(organizationId, topic));
    // Dead peers (a laptop closed mid-session) are dropped, releasing their watches.
    this.pingTimer = setInterval(() => {
      for (const [socket, session] of this.sessions) {
        if (!session.alive) {
          socket.terminate();
          continue;
        }
        session.alive = false;
        socket.ping();
      }
    }, PING_INTERVAL_MS);
    this.pingTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pingTimer);
    this.unsubscribeFeed();
    for (const socket of this.sessions.keys()) socket.close(1001, 'server shutting down');
  }

  async handleConnection(socket: WebSocket, request: IncomingMessage): Promise<void> {
    // Listening from the start: a page subscribes as soon as the socket opens, before the ticket is redeemed.
    const early: Array<{ data: RawData; isBinary: boolean }> = [];
    let session: Session | null = null;
    socket.on('message', (data, isBinary) => {
      if (session) this.receive(socket, session, data, isBinary);
      else if (early.length < LIVE_MESSAGE_BURST) early.push({ data, isBinary });
      else this.close(socket, LIVE_CLOSE.tooMany, 'Too many messages before the ticket was checked');
    });
    const ticket = new URL(request.url ?? '/', 'http://live.invalid').searchParams.get('ticket');
    let claims: Awaited<ReturnType<LiveTicketService['redeem']>>;
    try {
      claims = await this.tickets.redeem(ticket);
    } catch (error) {
      this.logger.warn(`live ticket check failed: ${String(error)}`);
      return this.close(socket, LIVE_CLOSE.internalError, 'The ticket could not be checked; try again');
    }
    if (!claims)
      return this.close(socket, LIVE_CLOSE.ticketRequired, 'A valid, unused live ticket is required');
    if (socket.readyState !== socket.OPEN) return; // gone while the ticket was checked
    let open = 0;
    for (const other of this.sessions.values()) if (other.userId === claims.userId) open++;
    if (open >= this.settings.maxSocketsPerUser) {
      return this.close(
        socket,
        LIVE_CLOSE.tooMany,
        `Too many live connections (max ${this.settings.maxSocketsPerUser} per user)`,
      );
    }
    const established: Session = {
      userId: claims.userId,
      organizations: new Set(),
      alive: true,
      allowance: LIVE_MESSAGE_BURST,
      lastMessageAt: Date.now(),
    };
    session = established;
    this.sessions.set(socket, established);
    socket.on('pong', () => (established.alive = true));
    this.send(socket, { type: 'ready' });
    for (const { data, isBinary } of early.splice(0)) this.receive(socket, established, data, isBinary);
  }

  handleDisconnect(socket: WebSocket): void {
    const session = this.sessions.get(socket);
    if (!session) return;
    this.sessions.delete(socket);
    for (const organizationId of session.organizations) this.feed.unwatch(organizationId);
  }

  /** Enforces the size and the rate, then handles the message. */
  private receive(socket: WebSocket, session: Session, data: RawData, isBinary: boolean): void {
    if (!this.sessions.has(socket)) return;
    const now = Date.now();
    session.allowance = Math.min(
      LIVE_MESSAGE_BURST,
      session.allowance + ((now - session.lastMessageAt) / 1000) * LIVE_MESSAGES_PER_SECOND,
    );
    session.lastMessageAt = now;
    if (session.allowance < 1) {
      return this.close(
        socket,
        LIVE_CLOSE.tooMany,
        `Too many messages (at most ${LIVE_MESSAGES_PER_SECOND} a second)`,
      );
    }
    session.allowance -= 1;
    const bytes = Array.isArray(data)
      ? data.reduce((n, b) => n + b.length, 0)
      : (data as Buffer | ArrayBuffer).byteLength;
    if (isBinary || bytes > LIVE_MAX_MESSAGE_BYTES) {
      return this.close(
        socket,
        LIVE_CLOSE.messageTooLarge,
        `Messages are JSON text of at most ${LIVE_MAX_MESSAGE_BYTES} bytes`,
      );
    }
    void this.onMessage(socket, session, Array.isArray(data) ? Buffer.concat(data).toString() : String(data));
  }

  private async onMessage(socket: WebSocket, session: Session, text: string): Promise<void> {
    let message: { type?: unknown; organizationId?: unknown };
    try {
      message = JSON.parse(text);
    } catch {
      return this.send(socket, { type: 'error', error: 'bad_message', message: 'Messages are JSON' });
    }
    if (message.type !== 'subscribe' && message.type !== 'unsubscribe') {
      return this.send(socket, { type: 'error', error: 'bad_message', message: 'Unknown message type' });
    }
    const organizationId =
      typeof message.organizationId === 'string' ? message.organizationId.toLowerCase() : '';
    if (message.type === 'unsubscribe') {
      if (session.organizations.delete(organizationId)) this.feed.unwatch(organizationId);
      return this.send(socket, { type: 'unsubscribed', organizationId });
    }
    if (session.organizations.has(organizationId)) {
      return this.send(socket, { type: 'subscribed', organizationId });
    }
    // Another organization's id reads exactly like one that does not exist.
    if (
      !UUID.test(organizationId) ||
      !(await this.isMember(session.userId, organizationId).catch(() => false))
    ) {
      return this.send(socket, {
        type: 'error',
        error: 'organization_not_found',
        message: 'No such organization',
        organizationId,
      });
    }
    if (session.organizations.size >= MAX_SUBSCRIPTIONS) {
      return this.send(socket, {
        type: 'error',
        error: 'too_many_subscriptions',
        message: 'Too many subscriptions',
      });
    }
    if (!this.sessions.has(socket)) return; // closed while checking
    session.organizations.add(organizationId);
    try {
      await this.feed.watch(organizationId);
    } catch (error) {
      this.logger.warn(`watch failed: ${String(error)}`);
    }
    this.send(socket, { type: 'subscribed', organizationId });
  }

  private async changed(organizationId: string, topic: LiveTopic): Promise<void> {
    const subscribers = [...this.sessions].filter(([, session]) => session.organizations.has(organizationId));
    for (const [socket, session] of subscribers) {
      // Someone removed from the organization stops hearing about it at once.
      if (
        topic === 'organizations' &&
        !(await this.isMember(session.userId, organizationId).catch(() => true))
      ) {
        if (session.organizations.delete(organizationId)) this.feed.unwatch(organizationId);
        this.send(socket, { type: 'unsubscribed', organizationId });
        continue;
      }
      // Wallet changes are billing data: only roles that may view billing hear of them.
      if (
        topic === 'wallet' &&
        !(await this.canViewBilling(session.userId, organizationId).catch(() => false))
      ) {
        continue;
      }
      this.send(socket, { type: 'invalidate', organizationId, topic });
    }
  }

  private async canViewBilling(userId: string, organizationId: string): Promise<boolean> {
    const membership = await this.access.requireMembership(organizationId, userId);
    return membership.permissions.includes('billing_view');
  }

  /** Decided by the organization's own stream (current, no projection lag), as for HTTP requests. */
  private async isMember(userId: string, organizationId: string): Promise<boolean> {
    try {
      await this.access.requireMembership(organizationId, userId);
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.getStatus() === 404) return false;
      throw error;
    }
  }

  /** Closes the socket with the code and reason, ending its session. */
  private close(socket: WebSocket, code: number, reason: string): void {
    if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING)
      socket.close(code, reason);
    this.handleDisconnect(socket);
  }

  private send(socket: WebSocket, message: Record<string, unknown>): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }
}
