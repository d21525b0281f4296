import type { Pool } from 'pg';
import type { AppendListenerLease, PostgresAppendListener } from './postgres-append-listener';
import type { Position, RecordedEvent, Subscription } from './event-store.port';
import { rowToEvent, positionParams, type EventRow } from './postgres-rows';
import { HELD_BACK_SQL, READ_ALL_SQL } from './postgres-event-store.sql';
import type { UpcasterRegistry } from './upcaster-registry';

export interface PostgresSubscriptionOptions {
  pool: Pool;
  /** The event store's shared LISTEN connection (wakes the subscription on appends). */
  appendListener: PostgresAppendListener;
  after: Position | null;
  batchSize: number;
  pollIntervalMs: number;
  upcasters?: UpcasterRegistry;
  onClosed?: (subscription: PostgresSubscription) => void;
  /** Reported, not thrown: the subscription retries with backoff. */
  onError?: (error: unknown) => void;
}

const HELD_BACK_RECHECK_MIN_MS = 5;
const RECONNECT_MIN_MS = 50;
const RECONNECT_MAX_MS = 5_000;

/**
 * Catch-up then live subscription over the pool. Reads pages with the xmin rule (see
 * postgres-event-store.sql.ts); a dedicated client LISTENs for append notifications to wake it without
 * polling delay (one connection shared by the store's subscriptions), and a poll timer covers lost notifications (aborted transactions, a dropped LISTEN
 * connection). Reading never depends on the LISTEN connection, so reconnecting it loses and repeats nothing.
 */
export class PostgresSubscription implements Subscription {
  private buffer: RecordedEvent[] = [];
  private head = 0;
  private fetchedUpTo: Position | null;
  private lastPageFull = false;
  private inflight: Promise<void> | null = null;
  private closed = false;
  /** Set by any wake-up source; cleared when a fetch starts, so a wake-up during a fetch is not lost. */
  private dirty = false;
  private wake: (() => void) | null = null;
  private heldBackDelayMs = HELD_BACK_RECHECK_MIN_MS;
  private errorDelayMs = RECONNECT_MIN_MS;

  private readonly lease: AppendListenerLease;

  /** Backend pid of the LISTEN connection (null while disconnected). Exposed for tests and diagnostics. */
  get listenerProcessId(): number | null {
    return this.lease.processId;
  }

  /** How many times the LISTEN connection was re-established after a loss. */
  get reconnects(): number {
    return this.lease.reconnects;
  }

  constructor(private readonly options: PostgresSubscriptionOptions) {
    this.fetchedUpTo = options.after;
    this.lease = options.appendListener.acquire({
      signal: () => this.signal(),
      onError: options.onError,
    });
  }

  /** Resolves once the LISTEN connection is (re)established; for tests that must not race it. */
  whenListening(): Promise<void> {
    return this.lease.whenListening();
  }

  async nextBatch(maxCount: number): Promise<RecordedEvent[]> {
    if (maxCount < 1) throw new RangeError('nextBatch: maxCount must be >= 1');
    while (!this.closed) {
      if (this.head < this.buffer.length) return this.take(maxCount);
      if (!this.inflight) this.startFill();
      await this.inflight;
    }
    return [];
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let finished = false;
    try {
      for (;;) {
        const batch = await this.nextBatch(this.options.batchSize);
        if (batch.length === 0) {
          finished = true;
          return;
        }
        for (const event of batch) yield event;
      }
    } finally {
      // Leaving a for-await early (break/throw) ends the subscription, like closing a stream.
      if (!finished) await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal();
    this.lease.release();
    await this.inflight?.catch(() => undefined);
    this.buffer = [];
    this.head = 0;
    this.options.onClosed?.(this);
  }

  private take(maxCount: number): RecordedEvent[] {
    const end = Math.min(this.head + maxCount, this.buffer.length);
    const out =
      this.head === 0 && end === this.buffer.length ? this.buffer : this.buffer.slice(this.head, end);
    this.head = end;
    if (this.head >= this.buffer.length) {
      this.buffer = [];
      this.head = 0;
      // Catching up: fetch the next page while the caller processes this one.
      if (this.lastPageFull && !this.inflight && !this.closed) this.startFill();
    }
    return out;
  }

  private startFill(): void {
    this.inflight = this.fill().finally(() => {
      this.inflight = null;
    });
  }

  /** One fetch; when nothing is available, waits for a wake-up (notification, poll, close). */
  private async fill(): Promise<void> {
    this.dirty = false;
    const { pool, batchSize, upcasters } = this.options;
    try {
      const [commit, prepare] = positionParams(this.fetchedUpTo);
      const result = await pool.query<EventRow>({
        name: 'eventstore_read_all',
        text: READ_ALL_SQL,
        values: [commit, prepare, batchSize],
        rowMode: 'array',
      });
      const rows = result.rows;
      this.errorDelayMs = RECONNECT_MIN_MS;
      if (this.closed) return;
      if (rows.length > 0) {
        for (let i = 0; i < rows.length; i++) this.buffer.push(rowToEvent(rows[i], upcasters));
        this.fetchedUpTo = this.buffer[this.buffer.length - 1].position;
        this.lastPageFull = rows.length === batchSize;
        this.heldBackDelayMs = HELD_BACK_RECHECK_MIN_MS;
        return;
      }
      this.lastPageFull = false;
      // Committed events behind an open older transaction: that transaction's commit will notify, but an
      // abort will not, so look again soon (backing off up to the poll interval).
      const heldBack = await pool.query<[boolean]>({
        name: 'eventstore_held_back',
        text: HELD_BACK_SQL,
        rowMode: 'array',
      });
      if (heldBack.rows[0][0]) {
        const delay = this.heldBackDelayMs;
        this.heldBackDelayMs = Math.min(delay * 2, this.options.pollIntervalMs);
        await this.waitForWake(delay);
      } else {
        this.heldBackDelayMs = HELD_BACK_RECHECK_MIN_MS;
        await this.waitForWake(this.options.pollIntervalMs);
      }
    } catch (error) {
      if (this.closed) return;
      this.options.onError?.(error);
      const delay = this.errorDelayMs;
      this.errorDelayMs = Math.min(delay * 2, RECONNECT_MAX_MS);
      await this.waitForWake(delay);
    }
  }

  private waitForWake(ms: number): Promise<void> {
    if (this.dirty || this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.wake === done) this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }

  private signal(): void {
    this.dirty = true;
    this.wake?.();
  }
}
