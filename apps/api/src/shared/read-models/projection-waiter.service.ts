import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { comparePositions, type Position } from '@stratus/eventstore';
import { PROJECTIONS, type ProjectionsOrm } from '@stratus/projections';
import { ProjectionNotifications } from './projection-notifications.service';
import { PROJECTIONS_ORM } from './tokens';

interface Waiter {
  min: Position;
  resolve(reached: boolean): void;
}

const POLL_INTERVAL_MS = 100;

/**
 * Read-your-writes: a query carrying X-Min-Position waits until every projection's checkpoint has
 * reached that position. Woken by the runners' NOTIFY on `stratus_projections` (ProjectionNotifications); a
 * short poll covers a lost notification or a dropped LISTEN connection.
 */
@Injectable()
export class ProjectionWaiter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ProjectionWaiter');
  private readonly waiters = new Set<Waiter>();
  private unlisten: (() => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private recheck = false;
  private closed = false;

  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    private readonly notifications: ProjectionNotifications,
  ) {}

  async onModuleInit(): Promise<void> {
    this.unlisten = await this.notifications.listen(() => this.wake());
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters.clear();
    this.unlisten?.();
  }

  /** Lowest checkpoint among the projections (null while any has none yet). */
  async lowestCheckpoint(): Promise<Position | null> {
    const rows = await this.orm.em
      .getConnection()
      .execute<{ name: string; position_commit: string | null; position_prepare: string | null }[]>(
        'select name, position_commit, position_prepare from projection_checkpoints',
      );
    const byName = new Map(rows.map((row) => [row.name, row]));
    let lowest: Position | null = null;
    for (const projection of PROJECTIONS) {
      const row = byName.get(projection.name);
      if (!row || row.position_commit === null || row.position_prepare === null) return null;
      const position = { commit: BigInt(row.position_commit), prepare: BigInt(row.position_prepare) };
      if (lowest === null || comparePositions(position, lowest) < 0) lowest = position;
    }
    return lowest;
  }

  /** Resolves true once every projection reached `min`, false after `timeoutMs`. */
  async waitFor(min: Position, timeoutMs = 2000): Promise<boolean> {
    const lowest = await this.lowestCheckpoint();
    if (lowest && comparePositions(lowest, min) >= 0) return true;
    if (this.closed) return false;
    return new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (reached: boolean) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        this.waiters.delete(waiter);
        if (this.waiters.size === 0 && this.pollTimer) {
          clearInterval(this.pollTimer);
          this.pollTimer = null;
        }
        resolve(reached);
      };
      const waiter: Waiter = { min, resolve: finish };
      const timer = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(waiter);
      if (!this.pollTimer) this.pollTimer = setInterval(() => this.wake(), POLL_INTERVAL_MS);
    });
  }

  private wake(): void {
    if (this.waiters.size === 0) return;
    if (this.checking) {
      this.recheck = true;
      return;
    }
    this.checking = (async () => {
      do {
        this.recheck = false;
        try {
          const lowest = await this.lowestCheckpoint();
          if (!lowest) continue;
          for (const waiter of [...this.waiters]) {
            if (comparePositions(lowest, waiter.min) >= 0) waiter.resolve(true);
          }
        } catch (error) {
          this.logger.warn(`reading checkpoints failed: ${String(error)}`);
        }
      } while (this.recheck && this.waiters.size > 0);
    })().finally(() => {
      this.checking = null;
    });
  }
}
