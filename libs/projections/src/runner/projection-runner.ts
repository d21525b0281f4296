import type { Knex } from '@mikro-orm/postgresql';
import {
  comparePositions,
  formatPosition,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '@stratus/eventstore';
import type { ProjectionStatus } from '../checkpoints/projection-checkpoint.entity';
import type { ProjectionsOrm } from '../orm';
import { projectionHandles, serializeKey, type AnyProjection, type ProjectionKey } from '../projection';
import { PROJECTIONS_NOTIFY_CHANNEL } from '../read-models';
import { advanceCheckpoint, lockCheckpoint, readCheckpoint, recordStatus, samePosition } from './checkpoints';
import { RowTable } from './row-table';

export interface ProjectionLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

const silentLogger: ProjectionLogger = { info() {}, warn() {}, error() {}, debug() {} };

export interface BatchApplied {
  projection: string;
  /** Events the checkpoint advanced past. */
  events: number;
  /** Of which the projection handles. */
  handled: number;
  position: Position;
}

export interface ProjectionRunnerOptions {
  orm: ProjectionsOrm;
  eventStore: EventStore;
  projection: AnyProjection;
  /** Events per transaction (PROJECTION_BATCH_SIZE). */
  batchSize?: number;
  logger?: ProjectionLogger;
  onBatch?: (batch: BatchApplied) => void;
  onStatus?: (status: ProjectionStatus, error?: string) => void;
  /** Backoff after a failure: doubles from initialMs up to maxMs. */
  retry?: { initialMs?: number; maxMs?: number };
  /** Checkpoint row to read and advance (default the projection's name; a rebuild uses `<name>@rebuild`). */
  checkpointName?: string;
  /** Table to write (default the entity's; a rebuild writes a shadow table). */
  tableName?: string;
}

export interface CatchUpOptions {
  /** Status written with each batch (default catching_up / running). */
  status?: ProjectionStatus;
  /** Checked between batches: an aborted catch-up throws after the batch in flight commits. */
  signal?: AbortSignal;
}

/** Another writer moved the checkpoint under us (a rebuild, a second worker): resume from the stored one. */
export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
}

/**
 * Runs one projection: subscribes to the all-stream after its checkpoint and applies each batch in one
 * transaction (rows and checkpoint together), so a crash at any point neither loses nor repeats an event.
 */
export class ProjectionRunner {
  readonly name: string;
  readonly checkpointName: string;
  private readonly projection: AnyProjection;
  private readonly table: RowTable<object>;
  private readonly handles: Set<string>;
  private readonly batchSize: number;
  private readonly logger: ProjectionLogger;
  private readonly knex: Knex;
  /** Last position committed by this runner (or read from the checkpoint). */
  private position: Position | null = null;
  private currentStatus: ProjectionStatus | null = null;
  private stopping = false;
  private loop: Promise<void> | null = null;
  private subscription: Subscription | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly options: ProjectionRunnerOptions) {
    this.projection = options.projection;
    this.name = options.projection.name;
    this.checkpointName = options.checkpointName ?? options.projection.name;
    this.table = new RowTable(options.orm, options.projection.entity, { tableName: options.tableName });
    this.handles = new Set(options.projection.handles);
    this.batchSize = options.batchSize ?? 500;
    this.logger = options.logger ?? silentLogger;
    this.knex = options.orm.em.getConnection().getKnex();
  }

  get status(): ProjectionStatus | null {
    return this.currentStatus;
  }

  get checkpoint(): Position | null {
    return this.position;
  }

  /** Starts the subscription loop in the background; `stop()` ends it. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.runLoop();
  }

  /** Lets the batch in flight commit, then closes the subscription and records 'stopped'. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.subscription?.close().catch(() => undefined);
    await this.loop;
    this.loop = null;
  }

  /**
   * Applies everything already in the store and returns (rebuilds, tests): pages through readAll
   * instead of subscribing, with the same transactional batches as the live loop.
   */
  async catchUp(options: CatchUpOptions = {}): Promise<number> {
    this.position = await readCheckpoint(this.knex, this.checkpointName);
    let applied = 0;
    for (;;) {
      options.signal?.throwIfAborted();
      const page = await this.options.eventStore.readAll({ after: this.position, maxCount: this.batchSize });
      if (page.events.length === 0) break;
      let status = options.status;
      if (!status) {
        const last = page.events[page.events.length - 1].position;
        const more = page.isFull && (await this.options.eventStore.countAfter(last, 1)) > 0;
        status = more ? 'catching_up' : 'running';
      }
      applied += await this.applyBatch(page.events, status);
      if (!page.isFull) break;
    }
    return applied;
  }

  private async runLoop(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      try {
        this.position = await readCheckpoint(this.knex, this.checkpointName);
        const behind = await this.options.eventStore.countAfter(this.position, 1);
        const initial: ProjectionStatus = behind > 0 ? 'catching_up' : 'running';
        await recordStatus(this.knex, this.checkpointName, initial);
        this.setStatus(initial);
        this.subscription = this.options.eventStore.subscribeToAll({
          after: this.position,
          batchSize: this.batchSize,
        });
        while (!this.stopping) {
          const batch = await this.subscription.nextBatch(this.batchSize);
          if (batch.length === 0) break; // closed
          // A short batch means the subscription is at the head; a full one may or may not be the last.
          const status: ProjectionStatus =
            batch.length < this.batchSize ||
            (await this.options.eventStore.countAfter(batch[batch.length - 1].position, 1)) === 0
              ? 'running'
              : 'catching_up';
          await this.applyBatch(batch, status);
          failures = 0;
          this.setStatus(status);
        }
      } catch (error) {
        if (this.stopping) break;
        if (error instanceof CheckpointMovedError) {
          this.logger.info(`projection ${this.name}: checkpoint moved by another writer, resuming from it`, {
            projection: this.name,
          });
        } else {
          failures += 1;
          const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
          await recordStatus(this.knex, this.checkpointName, 'failed', message.slice(0, 4000)).catch(
            () => undefined,
          );
          this.setStatus('failed', message);
          const { initialMs = 500, maxMs = 30_000 } = this.options.retry ?? {};
          await this.sleep(Math.min(maxMs, initialMs * 2 ** (failures - 1)));
        }
      } finally {
        const subscription = this.subscription;
        this.subscription = null;
        await subscription?.close().catch(() => undefined);
      }
    }
    this.setStatus('stopped');
    await recordStatus(this.knex, this.checkpointName, 'stopped').catch(() => undefined);
  }

  /**
   * One transaction: lock the checkpoint, load the touched rows in one query, fold the events in order,
   * write the changed rows, advance the checkpoint to the batch's last event. Returns events applied.
   */
  async applyBatch(batch: readonly RecordedEvent[], status: ProjectionStatus): Promise<number> {
    const events = this.unseen(batch);
    if (events.length === 0) return 0;
    const last = events[events.length - 1];
    let handled = 0;
    await this.knex.transaction(async (trx) => {
      handled = await this.applyWithin(trx, events, status);
    });

    this.position = last.position;
    this.options.onBatch?.({
      projection: this.name,
      events: events.length,
      handled,
      position: last.position,
    });
    // A shadow table is not readable under the projection's name yet: nothing to announce.
    if (this.options.tableName !== undefined) return events.length;
    // After commit: listeners must never hear of rows they cannot read yet.
    await this.knex
      .raw('select pg_notify(?, ?)', [PROJECTIONS_NOTIFY_CHANNEL, this.name])
      .catch((error: unknown) => {
        this.logger.warn(`projection ${this.name}: notify failed`, { error: String(error) });
      });
    return events.length;
  }

  /**
   * Applies a batch inside the caller's transaction (a rebuild's final catch-up, under the swap's
   * locks). The in-memory checkpoint advances at once: discard the runner if the caller rolls back.
   */
  async applyInTransaction(
    trx: Knex,
    batch: readonly RecordedEvent[],
    status: ProjectionStatus,
  ): Promise<number> {
    const events = this.unseen(batch);
    if (events.length === 0) return 0;
    await this.applyWithin(trx, events, status);
    this.position = events[events.length - 1].position;
    return events.length;
  }

  private unseen(batch: readonly RecordedEvent[]): RecordedEvent[] {
    const known = this.position;
    return known ? batch.filter((e) => comparePositions(e.position, known) > 0) : [...batch];
  }

  /** Returns how many of the events the projection handled. */
  private async applyWithin(trx: Knex, events: RecordedEvent[], status: ProjectionStatus): Promise<number> {
    const known = this.position;
    const last = events[events.length - 1];
    const stored = await lockCheckpoint(trx, this.checkpointName);
    if (!samePosition(stored, known)) {
      throw new CheckpointMovedError(
        `${this.checkpointName}: expected checkpoint ${known ? formatPosition(known) : 'none'}, found ${stored ? formatPosition(stored) : 'none'}`,
      );
    }
    const touched: { event: RecordedEvent; key: ProjectionKey; id: string }[] = [];
    const keys = new Map<string, ProjectionKey>();
    for (const event of events) {
      if (!projectionHandles(this.handles, event.type)) continue;
      const key = this.projection.keyOf(event);
      if (key === null) continue;
      const id = serializeKey(key);
      touched.push({ event, key, id });
      keys.set(id, key);
    }
    if (touched.length > 0) {
      const rows = await this.table.load(trx, [...keys.values()]);
      const next = new Map<string, object | null>();
      for (const { event, id } of touched) {
        const current = next.has(id) ? next.get(id)! : (rows.get(id) ?? null);
        next.set(id, this.projection.evolve(current, event));
      }
      const upserts: object[] = [];
      const deletes: ProjectionKey[] = [];
      for (const [id, row] of next) {
        if (row) upserts.push(row);
        else if (rows.has(id)) deletes.push(keys.get(id)!);
      }
      await this.table.delete(trx, deletes);
      await this.table.upsert(trx, upserts);
    }
    await advanceCheckpoint(trx, this.checkpointName, {
      position: last.position,
      events: events.length,
      status,
      lastEventAt: lastEventTime(last),
    });
    return touched.length;
  }

  private setStatus(status: ProjectionStatus, error?: string): void {
    if (status === this.currentStatus) return;
    this.currentStatus = status;
    const fields = {
      projection: this.name,
      status,
      checkpoint: this.position ? formatPosition(this.position) : null,
      ...(error ? { error: error.split('\n')[0] } : {}),
    };
    if (status === 'failed') this.logger.error(`projection ${this.name} ${status}`, fields);
    else this.logger.info(`projection ${this.name} ${status}`, fields);
    this.options.onStatus?.(status, error);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

function lastEventTime(event: RecordedEvent): Date | null {
  const at = new Date(event.metadata?.occurredAt);
  return Number.isNaN(at.getTime()) ? null : at;
}
