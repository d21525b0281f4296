import type { IncomingMessage } from 'node:http';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayConnection, type OnGatewayDisconnect, WebSocketGateway } from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { OrganizationAccess } from '../../../shared/auth/organization-access.service';
import { ApiError } from '../../../shared/errors/api-error';
import { LiveTicketService } from '../shared/live-ticket.service';
import { ProjectionChangeFeed, type LiveTopic } from '../shared/projection-change-feed.service';

/** Close codes the browser can tell apart. */
export const LIVE_CLOSE = { ticketRequired: 4401 } as const;
const MAX_SUBSCRIPTIONS = 20;
const PING_INTERVAL_MS = 30_000;

interface Session {
  userId: string;
  organizations: Set<string>;
  alive: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Live updates: `ws(s)://<api>/api/live?ticket=<single-use ticket from POST /api/live/tickets>`. The client sends
 * `{ type: 'subscribe', organizationId }` for organizations it belongs to and receives
 * `{ type: 'invalidate', organizationId, topic }` when that organization's servers ('vps'), wallet ('wallet') or
 * members ('organizations') change in the read models ('wallet' only to members whose role has billing_view).
 * Nothing about other organizations is ever sent.
 */
@WebSocketGateway({ path: '/api/live' })
export class LiveGateway implements OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('LiveGateway');
  private readonly sessions = new Map<WebSocket, Session>();
  private readonly unsubscribeFeed: () => void;
  private readonly pingTimer: NodeJS.Timeout;

  constructor(
    private readonly tickets: LiveTicketService,
    private readonly feed: ProjectionChangeFeed,
    private readonly access: OrganizationAccess,
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

  handleConnection(socket: WebSocket, request: IncomingMessage): void {
    const ticket = new URL(request.url ?? '/', 'http://live.invalid').searchParams.get('ticket');
    const claims = this.tickets.redeem(ticket);
    if (!claims) {
      socket.close(LIVE_CLOSE.ticketRequired, 'A valid, unused live ticket is required');
      return;
    }
    const session: Session = { userId: claims.userId, organizations: new Set(), alive: true };
    this.sessions.set(socket, session);
    socket.on('pong', () => (session.alive = true));
    socket.on('message', (data) => void this.onMessage(socket, session, String(data)));
    this.send(socket, { type: 'ready' });
  }

  handleDisconnect(socket: WebSocket): void {
    const session = this.sessions.get(socket);
    if (!session) return;
    this.sessions.delete(socket);
    for (const organizationId of session.organizations) this.feed.unwatch(organizationId);
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

  private send(socket: WebSocket, message: Record<string, unknown>): void {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(message));
  }
}
