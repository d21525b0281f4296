import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { DomainError } from '@stratus/domain';
import { comparePositions, type EventStore, type Position } from '@stratus/eventstore';
import { eventLogProjection, type ProjectionsOrm } from '@stratus/projections';
import { CLOCK, EVENT_STORE, type Clock } from '../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import { ConsoleAudit } from '../shared/console-audit.service';
import { CONSOLE_SETTINGS, type ConsoleSettings } from '../shared/console-settings';
import { ConsoleSessions } from './console-sessions.service';

/** How long start-up recovery waits for the event log to catch up with the store before reading it anyway. */
const CATCH_UP_DEADLINE_MS = 60_000;
const CATCH_UP_POLL_MS = 250;

export interface ConsoleRecoveryResult {
  /** Sessions this instance's previous run left open, found in the event log. */
  found: number;
  /** Closed now (api_restarted). */
  closed: number;
}

/**
 * A crash, SIGKILL or power loss never records the close of the sessions the API had open. When the same
 * instance (ConsoleSettings.instanceId) starts again, this closes them with reason `api_restarted`, in the
 * background so readiness is not delayed. They are found in the `event_log` read model (opened by this
 * instance, no close), after it caught up with the store's head at start-up; the decider, reading the
 * stream itself, has the last word: a session already closed (a second start, a race with a normal close,
 * a log lagging behind) or another instance's is refused and left as it is. Sessions of this run are never
 * touched: only those opened before this start, and not live here.
 */
@Injectable()
export class ConsoleSessionRecovery implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('ConsoleSessionRecovery');
  private stopping = false;
  /** The start-up recovery (resolves, never rejects); tests wait on it. */
  done: Promise<ConsoleRecoveryResult> = Promise.resolve({ found: 0, closed: 0 });

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(CONSOLE_SETTINGS) private readonly settings: ConsoleSettings,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly audit: ConsoleAudit,
    private readonly sessions: ConsoleSessions,
  ) {}

  onApplicationBootstrap(): void {
    // Before the gateway accepts anything: every session of this run opens at or after this instant.
    const startedAt = this.clock.now();
    this.done = this.recover(startedAt).catch((error: unknown) => {
      if (!this.stopping) this.logger.error(`console session recovery failed: ${String(error)}`);
      return { found: 0, closed: 0 };
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    await this.done;
  }

  private async recover(startedAt: Date): Promise<ConsoleRecoveryResult> {
    const head = await this.eventStore.headPosition();
    if (head && !(await this.eventLogReached(head))) {
      if (this.stopping) return { found: 0, closed: 0 };
      this.logger.warn('the event log has not caught up with the event store; recovering from what it holds');
    }
    const abandoned = await this.findAbandoned(startedAt);
    let closed = 0;
    for (const { vpsId, sessionId } of abandoned) {
      if (this.stopping) break;
      if (this.sessions.isLive(sessionId)) continue;
      try {
        await this.audit.closeAbandoned(vpsId, sessionId);
        closed++;
      } catch (error) {
        // Closed meanwhile (or by a previous start whose close the log has not shown yet): nothing to do.
        if (error instanceof DomainError && error.reason === 'session_not_open') continue;
        this.logger.error(
          `console ${sessionId}: could not record its close after a restart: ${String(error)}`,
        );
      }
    }
    if (closed > 0) {
      this.logger.warn(`closed ${closed} console session(s) left open by this instance's previous run`);
    }
    return { found: abandoned.length, closed };
  }

  private async eventLogReached(head: Position): Promise<boolean> {
    const deadline = Date.now() + CATCH_UP_DEADLINE_MS;
    while (!this.stopping) {
      const [row] = await this.orm.em
        .getConnection()
        .execute<{ position_commit: string | null; position_prepare: string | null }[]>(
          'select position_commit, position_prepare from projection_checkpoints where name = ?',
          [eventLogProjection.name],
        );
      if (row?.position_commit != null && row.position_prepare != null) {
        const reached = { commit: BigInt(row.position_commit), prepare: BigInt(row.position_prepare) };
        if (comparePositions(reached, head) >= 0) return true;
      }
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS).unref());
    }
    return false;
  }

  /** Opened by this instance before this start, and no close in the log (event_log's type index). */
  private async findAbandoned(startedAt: Date): Promise<{ vpsId: string; sessionId: string }[]> {
    const rows = await this.orm.em.getConnection().execute<{ vps_id: string; session_id: string }[]>(
      `select o.data->>'vpsId' as vps_id, o.data->>'sessionId' as session_id
         from event_log o
        where o.type = 'ConsoleSessionOpened'
          and o.data->>'instanceId' = ?
          and (o.data->>'openedAt')::timestamptz < ?
          and not exists (
            select 1 from event_log c
             where c.stream_id = o.stream_id
               and c.type = 'ConsoleSessionClosed'
               and c.data->>'sessionId' = o.data->>'sessionId')
        order by o.position_commit, o.position_prepare`,
      [this.settings.instanceId, startedAt],
    );
    return rows.map((row) => ({ vpsId: row.vps_id, sessionId: row.session_id }));
  }
}
