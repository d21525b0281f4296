import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  isOrganizationRole,
  permissionsOf,
  type CustomRoleUpdated,
  type MemberRemoved,
  type MemberRoleChanged,
  type OrganizationRole,
} from '@stratus/domain';
import type { EventStore, RecordedEvent, Subscription } from '@stratus/eventstore';
import { EVENT_STORE } from '../../../shared/event-sourcing/tokens';
import { CONSOLE_PERMISSION, type CheckedStream } from '../shared/console-access.service';
import { ConsoleAudit } from '../shared/console-audit.service';
import { CONSOLE_CLOSE, ConsoleRefusal, type ConsoleCloseCode } from '../shared/console-refusal';
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

/**
 * The subscription may lag while another transaction holds the cluster's xmin back; the sessions' own
 * organization and server streams are also read this often, from the revision their check saw (reads by
 * stream see every committed event at once, and cost an index lookup when nothing changed).
 */
const TAIL_INTERVAL_MS = 500;

/**
 * The open consoles of this API instance: the session limits, and revocation. A member removed from the
 * organization, a role without vps_manage (given, or a custom role narrowed), a server suspended or deleted ends the matching sessions as soon
 * as the event is read — from the event store's all-stream (subscribed from its head at start-up), or from
 * the sessions' own streams, followed every 500 ms from the revisions their access check read. Sessions are
 * registered before their access is checked, so nothing between the check and the shell is missed.
 */
@Injectable()
export class ConsoleSessions implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ConsoleSessions');
  private readonly sessions = new Map<string, RegisteredSession>();
  private subscription: Subscription | null = null;
  private watching: Promise<void> | null = null;
  private tailTimer: NodeJS.Timeout | null = null;
  private tailing: Promise<void> | null = null;
  /** Streams followed for open sessions: the next revision to read, and how many sessions need them. */
  private readonly tails = new Map<string, { next: bigint; sessions: number }>();
  /** Per session: the revision its access check read, per stream (older events do not concern it). */
  private readonly checkedOf = new Map<string, Map<string, bigint>>();
  /** Per session still being checked: revoking events seen meanwhile, judged once the check's revisions are known. */
  private readonly pendingOf = new Map<
    string,
    { event: RecordedEvent; code: ConsoleCloseCode; reason: string }[]
  >();
  private stopping = false;
  private awaitingTicket = 0;

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
    private readonly audit: ConsoleAudit,
    private readonly metrics: ConsoleMetrics,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const head = await this.eventStore.headPosition();
    const subscription = this.eventStore.subscribeToAll({ after: head, batchSize: 200 });
    this.subscription = subscription;
    this.watching = this.watch(subscription);
    this.tailTimer = setInterval(() => {
      this.tailing ??= this.readTails().finally(() => (this.tailing = null));
    }, TAIL_INTERVAL_MS);
    this.tailTimer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    if (this.tailTimer) clearInterval(this.tailTimer);
    for (const session of [...this.sessions.values()]) {
      session.end(CONSOLE_CLOSE.goingAway, 'the API is shutting down');
    }
    await this.subscription?.close();
    await this.watching;
    await this.tailing;
    // The sessions just ended record their close before the event store is closed.
    await this.audit.flush();
  }

  /**
   * Sockets not yet past their ticket cost memory and a timer for up to 10 s each: at most twice
   * CONSOLE_MAX_SESSIONS of them at once. Returns false when full (the caller refuses with 4429).
   */
  admitUnauthenticated(): boolean {
    if (this.stopping || this.awaitingTicket >= this.settings.maxSessions * 2) return false;
    this.awaitingTicket++;
    return true;
  }

  /** The socket presented its ticket, or ended, after admitUnauthenticated. */
  leaveUnauthenticated(): void {
    this.awaitingTicket = Math.max(0, this.awaitingTicket - 1);
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

  /** Follows the streams the session's access check read, from the revisions it saw. */
  follow(sessionId: string, checked: CheckedStream[]): void {
    if (!this.sessions.has(sessionId) || this.checkedOf.has(sessionId)) return;
    for (const { streamId, revision } of checked) {
      const tail = this.tails.get(streamId);
      // Already followed: what lies between this check and the tail was read, with this session registered.
      if (tail) tail.sessions++;
      else this.tails.set(streamId, { next: revision + 1n, sessions: 1 });
    }
    const revisions = new Map(checked.map((c) => [c.streamId, c.revision]));
    this.checkedOf.set(sessionId, revisions);
    const pending = this.pendingOf.get(sessionId) ?? [];
    this.pendingOf.delete(sessionId);
    for (const { event, code, reason } of pending) {
      const seen = revisions.get(event.streamId);
      if (seen === undefined || event.revision > seen) return this.sessions.get(sessionId)?.end(code, reason);
    }
  }

  release(sessionId: string): void {
    this.sessions.delete(sessionId);
    for (const streamId of this.checkedOf.get(sessionId)?.keys() ?? []) {
      const tail = this.tails.get(streamId);
      if (tail && --tail.sessions === 0) this.tails.delete(streamId);
    }
    this.checkedOf.delete(sessionId);
    this.pendingOf.delete(sessionId);
    this.metrics.sessions.set(this.sessions.size);
  }

  /** Whether the session is held by this process right now (start-up recovery leaves it alone). */
  isLive(sessionId: string): boolean {
    return this.sessions.has(sessionId);
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
      // The stream tails still revoke.
      if (!this.stopping) this.logger.error(`console revocation subscription stopped: ${String(error)}`);
    }
  }

  private async readTails(): Promise<void> {
    for (const [streamId, tail] of [...this.tails]) {
      try {
        const events = await this.eventStore.readStream(streamId, { fromRevision: tail.next });
        for (const event of events) this.apply(event);
        const last = events.at(-1);
        if (last && last.revision >= tail.next) tail.next = last.revision + 1n;
      } catch (error) {
        if (!this.stopping)
          this.logger.warn(`console revocation read of ${streamId} failed: ${String(error)}`);
      }
    }
  }

  private apply(event: RecordedEvent): void {
    if (this.sessions.size === 0) return;
    const serverGone = SERVER_GONE[event.type];
    if (serverGone) {
      const { vpsId } = event.data as { vpsId: string };
      this.endWhere(
        event,
        (s) => s.vpsId === vpsId,
        CONSOLE_CLOSE.serverNotRunning,
        `session ended: ${serverGone}`,
      );
      return;
    }
    if (event.type === 'MemberRemoved') {
      const { organizationId, userId } = event.data as MemberRemoved['data'];
      this.endWhere(
        event,
        (s) => s.organizationId === organizationId && s.userId === userId,
        CONSOLE_CLOSE.forbidden,
        'session ended: you are no longer a member of the organization',
      );
    } else if (event.type === 'MemberRoleChanged') {
      const { organizationId, userId, role, permissions } = event.data as MemberRoleChanged['data'];
      // Events older than custom roles carry no permissions: their role is a predefined one.
      const granted = permissions ?? permissionsOf(role as OrganizationRole);
      if (granted.includes(CONSOLE_PERMISSION)) return;
      this.endWhere(
        event,
        (s) => s.organizationId === organizationId && s.userId === userId,
        CONSOLE_CLOSE.forbidden,
        `session ended: your role (${isOrganizationRole(role) ? role : 'a custom role'}) lacks the vps_manage permission`,
      );
    } else if (event.type === 'CustomRoleUpdated') {
      const { organizationId, name, permissions, holders } = event.data as CustomRoleUpdated['data'];
      if (permissions.includes(CONSOLE_PERMISSION)) return;
      this.endWhere(
        event,
        (s) => s.organizationId === organizationId && holders.includes(s.userId),
        CONSOLE_CLOSE.forbidden,
        `session ended: your role (${name}) no longer has the vps_manage permission`,
      );
    }
  }

  /**
   * Ends the matching sessions the event is news to: a session whose check read the event's stream at or
   * after the event (a lagging subscription, a suspension since resumed) is left alone; for a session still
   * being checked, the event waits for the check's revisions (see follow).
   */
  private endWhere(
    event: RecordedEvent,
    match: (s: RegisteredSession) => boolean,
    code: ConsoleCloseCode,
    reason: string,
  ): void {
    for (const session of [...this.sessions.values()]) {
      if (!match(session)) continue;
      const revisions = this.checkedOf.get(session.sessionId);
      if (!revisions) {
        const pending = this.pendingOf.get(session.sessionId) ?? [];
        pending.push({ event, code, reason });
        this.pendingOf.set(session.sessionId, pending);
        continue;
      }
      const checked = revisions.get(event.streamId);
      if (checked !== undefined && event.revision <= checked) continue;
      session.end(code, reason);
    }
  }
}
