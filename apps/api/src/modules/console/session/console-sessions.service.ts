import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { hasPermission, type MemberRemoved, type MemberRoleChanged } from '@stratus/domain';
import type { EventStore, RecordedEvent, Subscription } from '@stratus/eventstore';
import { EVENT_STORE } from '../../../shared/event-sourcing/tokens';
import { CONSOLE_PERMISSION, ConsoleAccess } from '../shared/console-access.service';
import { CONSOLE_CLOSE, ConsoleRefusal, type ConsoleCloseCode } from '../shared/console-refusal';
import { ConsoleAudit } from '../shared/console-audit.service';
import { CONSOLE_SETTINGS, type ConsoleSettings } from '../shared/console-settings';
import { ConsoleMetrics } from './console-metrics';

/** One console being set up or open, as the registry sees it. */
export interface RegisteredSession {
  sessionId: string;
  userId: string;
  organizationId: string;
  vpsId: string;
  /** Ends the session (idempotent): closes the socket with this code and reason, and the SSH connection. */
  end(code: ConsoleCloseCode, reason: string): void;
}

/** Server events after which no console of that server may stay open. */
const SERVER_GONE: Record<string, string> = {
  VpsSuspended: 'the server was suspended',
  VpsDeletionRequested: 'the server is being deleted',
  VpsDeleted: 'the server was deleted',
};

/** Safety net behind the event subscription (a lost or lagging subscription still revokes, later). */
const RECHECK_INTERVAL_MS = 30_000;

/**
 * The open consoles of this API instance: the session limits, and revocation. Revocation follows the event
 * store's all-stream from its head when the API started: a member removed from the organization, a role
 * without vps_manage, a server suspended or deleted ends the matching sessions as soon as the event is read
 * (well under 2 s). Sessions are registered before their access is checked, so an event landing between the
 * check and the shell still ends them.
 */
@Injectable()
export class ConsoleSessions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ConsoleSessions');
  private readonly sessions = new Map<string, RegisteredSession>();
  private subscription: Subscription | null = null;
  private watching: Promise<void> | null = null;
  private recheckTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
    private readonly access: ConsoleAccess,
    private readonly audit: ConsoleAudit,
    private readonly metrics: ConsoleMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const head = await this.eventStore.headPosition();
    const subscription = this.eventStore.subscribeToAll({ after: head, batchSize: 200 });
    this.subscription = subscription;
    this.watching = this.watch(subscription);
    this.recheckTimer = setInterval(() => void this.recheckAll(), RECHECK_INTERVAL_MS);
    this.recheckTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    for (const session of [...this.sessions.values()]) {
      session.end(CONSOLE_CLOSE.goingAway, 'the API is shutting down');
    }
    await this.subscription?.close();
    await this.watching;
    // The sessions just ended record their close before the event store is closed.
    await this.audit.flush();
  }

  /** Takes a slot for a session, or refuses (4429) when the user or this instance is at its limit. */
  register(session: RegisteredSession): void {
    if (this.stopping) throw new ConsoleRefusal(CONSOLE_CLOSE.goingAway, 'the API is shutting down');
    if (this.sessions.size >= this.settings.maxSessions) {
      throw new ConsoleRefusal(
        CONSOLE_CLOSE.tooManySessions,
        `too many console sessions on this API instance (max ${this.settings.maxSessions})`,
      );
    }
    let mine = 0;
    for (const other of this.sessions.values()) if (other.userId === session.userId) mine++;
    if (mine >= this.settings.maxSessionsPerUser) {
      throw new ConsoleRefusal(
        CONSOLE_CLOSE.tooManySessions,
        `too many console sessions open (max ${this.settings.maxSessionsPerUser} per user)`,
      );
    }
    this.sessions.set(session.sessionId, session);
    this.metrics.sessions.set(this.sessions.size);
  }

  release(sessionId: string): void {
    this.sessions.delete(sessionId);
    this.metrics.sessions.set(this.sessions.size);
  }

  get openCount(): number {
    return this.sessions.size;
  }

  private async watch(subscription: Subscription): Promise<void> {
    try {
      for (;;) {
        const batch = await subscription.nextBatch(200);
        if (batch.length === 0) return; // closed
        for (const event of batch) this.apply(event);
      }
    } catch (error) {
      // The periodic re-check still revokes, within RECHECK_INTERVAL_MS.
      if (!this.stopping) this.logger.error(`console revocation subscription stopped: ${String(error)}`);
    }
  }

  private apply(event: RecordedEvent): void {
    if (this.sessions.size === 0) return;
    const serverGone = SERVER_GONE[event.type];
    if (serverGone) {
      const { vpsId } = event.data as { vpsId: string };
      this.endWhere((s) => s.vpsId === vpsId, CONSOLE_CLOSE.serverNotRunning, `session ended: ${serverGone}`);
      return;
    }
    if (event.type === 'MemberRemoved') {
      const { organizationId, userId } = event.data as MemberRemoved['data'];
      this.endWhere(
        (s) => s.organizationId === organizationId && s.userId === userId,
        CONSOLE_CLOSE.forbidden,
        'session ended: you are no longer a member of the organization',
      );
    } else if (event.type === 'MemberRoleChanged') {
      const { organizationId, userId, role } = event.data as MemberRoleChanged['data'];
      if (hasPermission(role, CONSOLE_PERMISSION)) return;
      this.endWhere(
        (s) => s.organizationId === organizationId && s.userId === userId,
        CONSOLE_CLOSE.forbidden,
        `session ended: your role (${role}) lacks the vps_manage permission`,
      );
    }
  }

  private endWhere(match: (s: RegisteredSession) => boolean, code: ConsoleCloseCode, reason: string): void {
    for (const session of [...this.sessions.values()]) if (match(session)) session.end(code, reason);
  }

  private async recheckAll(): Promise<void> {
    for (const session of [...this.sessions.values()]) {
      try {
        await this.access.recheck(session.userId, session.organizationId, session.vpsId);
      } catch (error) {
        if (error instanceof ConsoleRefusal) session.end(error.code, `session ended: ${error.reason}`);
        else this.logger.warn(`console re-check failed: ${String(error)}`);
      }
    }
  }
}
