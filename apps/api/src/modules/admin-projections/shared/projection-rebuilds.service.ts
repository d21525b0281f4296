import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import {
  projectionRebuildDecider,
  streams,
  type ProjectionRebuildCommand,
  STRATUS_ID_NAMESPACE,
} from '@stratus/domain';
import { formatPosition, type EventStore, CommandExecutor } from '@stratus/eventstore';
import {
  discardRebuildShadow,
  isRebuildRunning,
  PROJECTIONS,
  runShadowRebuild,
  tryLockRebuild,
  type ProjectionLogger,
  type ProjectionsOrm,
  type RebuildLock,
} from '@stratus/projections';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import { ApiError } from '../../../shared/errors/api-error';
import { EVENT_STORE } from '../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import { CommandContext } from '../../../shared/request-context/command-context';

/** Events per transaction while replaying into the shadow table. */
export const REBUILD_BATCH_SIZE = 500;

export const ABANDONED_ERROR = 'abandoned: the API process running this rebuild stopped before it finished';
export const INTERRUPTED_ERROR = 'interrupted: the API was shut down during the rebuild';

export function assertKnownProjection(name: string): void {
  if (!PROJECTIONS.some((p) => p.name === name)) {
    throw new ApiError(404, 'projection_not_found', 'Projection not found', {
      known: PROJECTIONS.map((p) => p.name),
    });
  }
}

/** Deterministic event ids: a retried record of the same step is acknowledged, never stored twice. */
const eventIdOf = (step: string, rebuildId: string) =>
  uuidv5(`projection-rebuild:${step}:${rebuildId}`, STRATUS_ID_NAMESPACE);

/**
 * Runs rebuilds in this API process, in the background, one per projection across all processes (the
 * rebuild lock is a PostgreSQL session lock). The stream `projection-<name>` records who asked and how
 * it ended. A rebuild whose process stopped is closed as failed (ABANDONED_ERROR) when an API starts,
 * or when a new rebuild of that projection is requested; the live table is untouched either way.
 */
@Injectable()
export class ProjectionRebuilds implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('ProjectionRebuilds');
  private readonly running = new Map<
    string,
    { rebuildId: string; abort: AbortController; done: Promise<void> }
  >();

  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly executor: CommandExecutor,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Never blocks or fails start-up: the next request closes what this misses.
    await this.closeAbandoned().catch((error: unknown) =>
      this.logger.warn(`could not close abandoned rebuilds: ${String(error)}`),
    );
  }

  /** Lets each running rebuild stop between batches and record itself as failed, before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    for (const rebuild of this.running.values()) rebuild.abort.abort(new Error(INTERRUPTED_ERROR));
    await Promise.all([...this.running.values()].map((rebuild) => rebuild.done));
  }

  /** Settles when this process's rebuild of the projection has recorded its outcome; null if none runs here. */
  runningHere(projection: string): Promise<void> | null {
    return this.running.get(projection)?.done ?? null;
  }

  /**
   * Records ProjectionRebuildRequested (actor: the admin) and starts the rebuild in the background.
   * 404 for an unknown projection, 409 while one runs (in any process).
   */
  async start(
    projection: string,
    reason: string | null,
    context: CommandContext,
  ): Promise<{ rebuildId: string }> {
    assertKnownProjection(projection);
    const lock = await tryLockRebuild(this.orm, projection);
    if (!lock) {
      throw new ApiError(409, 'rebuild_in_progress', `A rebuild of ${projection} is already running`, {
        projection,
      });
    }
    const rebuildId = uuidv4();
    try {
      await this.closeIfAbandoned(projection, lock);
      const result = await this.record(projection, context, eventIdOf('requested', rebuildId), {
        type: 'RequestProjectionRebuild',
        data: { projection, rebuildId, reason },
      });
      if (result.events.length === 0) throw new Error(`rebuild ${rebuildId} was not recorded`);
    } catch (error) {
      await lock.release();
      throw error;
    }
    const abort = new AbortController();
    // Completion is the system's doing, in the same correlation as the admin's request.
    const system = new CommandContext(context.correlationId, context.causationId, {
      userId: 'system',
      role: 'system',
    });
    const done = this.run(projection, rebuildId, lock, abort.signal, system).finally(() =>
      this.running.delete(projection),
    );
    this.running.set(projection, { rebuildId, abort, done });
    return { rebuildId };
  }

  private async run(
    projection: string,
    rebuildId: string,
    lock: RebuildLock,
    signal: AbortSignal,
    context: CommandContext,
  ): Promise<void> {
    try {
      const result = await runShadowRebuild(this.orm, this.eventStore, lock, {
        batchSize: REBUILD_BATCH_SIZE,
        signal,
        logger: this.projectionLogger,
      });
      await this.record(projection, context, eventIdOf('completed', rebuildId), {
        type: 'CompleteProjectionRebuild',
        data: {
          rebuildId,
          events: result.events,
          position: result.position ? formatPosition(result.position) : null,
          durationMs: result.durationMs,
        },
      });
    } catch (error) {
      const message = signal.aborted
        ? INTERRUPTED_ERROR
        : error instanceof Error
          ? error.message
          : String(error);
      this.logger.error(`rebuild ${rebuildId} of ${projection} failed: ${message}`);
      await discardRebuildShadow(this.orm, lock).catch(() => undefined);
      await this.record(projection, context, eventIdOf('failed', rebuildId), {
        type: 'FailProjectionRebuild',
        data: { rebuildId, error: message },
      }).catch((recordError: unknown) =>
        // The stream still says rebuilding: the next start or request closes it as abandoned.
        this.logger.error(`could not record the failure of rebuild ${rebuildId}: ${String(recordError)}`),
      );
    } finally {
      await lock.release();
    }
  }

  /** Closes, as failed, every rebuild whose stream says running while no process holds its lock. */
  async closeAbandoned(): Promise<number> {
    let closed = 0;
    for (const { name } of PROJECTIONS) {
      const { state } = await this.executor.load(streams.projection(name), projectionRebuildDecider);
      if (state.status !== 'rebuilding' || (await isRebuildRunning(this.orm, name))) continue;
      const lock = await tryLockRebuild(this.orm, name);
      if (!lock) continue; // just started elsewhere
      try {
        if (await this.closeIfAbandoned(name, lock)) closed += 1;
      } finally {
        await lock.release();
      }
    }
    return closed;
  }

  /** With the lock held, a stream that still says rebuilding belongs to a process that is gone. */
  private async closeIfAbandoned(projection: string, lock: RebuildLock): Promise<boolean> {
    const { state } = await this.executor.load(streams.projection(projection), projectionRebuildDecider);
    if (state.status !== 'rebuilding') return false;
    this.logger.warn(`rebuild ${state.rebuildId} of ${projection} was abandoned; recording it as failed`);
    await discardRebuildShadow(this.orm, lock);
    await this.record(
      projection,
      CommandContext.system(`abandoned-rebuild:${state.rebuildId}`),
      eventIdOf('failed', state.rebuildId),
      {
        type: 'FailProjectionRebuild',
        data: { rebuildId: state.rebuildId, error: ABANDONED_ERROR },
      },
    );
    return true;
  }

  private record(
    projection: string,
    context: CommandContext,
    eventId: string,
    command: Omit<ProjectionRebuildCommand, 'metadata'>,
  ) {
    return this.executor.execute({
      streamId: streams.projection(projection),
      decider: projectionRebuildDecider,
      context,
      eventId: () => eventId,
      command: (_state, metadata) => ({ ...command, metadata }) as ProjectionRebuildCommand,
    });
  }

  private readonly projectionLogger: ProjectionLogger = {
    info: (message) => this.logger.log(message),
    warn: (message) => this.logger.warn(message),
    error: (message) => this.logger.error(message),
    debug: (message) => this.logger.debug(message),
  };
}
