import { Pool, type ClientConfig, type PoolClient } from 'pg';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
} from './event-store.port';
import { positionParams, rowToEvent, type EventRow } from './postgres-rows';
import {
  APPEND_SQL,
  COUNT_AFTER_SQL,
  FIND_EVENT_IDS_SQL,
  FIND_EVENT_SQL,
  HEAD_POSITION_SQL,
  NOTIFY_CHANNEL,
  READ_ALL_SQL,
  READ_STREAM_SQL,
  SCHEMA_LOCK_KEY,
  SCHEMA_SQL,
} from './postgres-event-store.sql';
import { PostgresAppendListener } from './postgres-append-listener';
import { PostgresSubscription } from './postgres-subscription';
import type { UpcasterRegistry } from './upcaster-registry';

export interface PostgresEventStoreHooks {
  /**
   * Runs inside the append transaction after the events are written, before COMMIT. For tests that
   * hold a transaction open to force out-of-order commits. When set, appends use BEGIN/COMMIT round
   * trips instead of the single-statement fast path.
   */
  beforeCommit?: (streamId: string) => Promise<void>;
}

export interface PostgresEventStoreOptions {
  pool: Pool;
  upcasters?: UpcasterRegistry;
  /** End the pool in close() (true when the store created it). Default false. */
  ownsPool?: boolean;
  /** Fallback poll interval of subscriptions, in ms. Default 250. */
  subscriptionPollIntervalMs?: number;
  /** Default page size of subscriptions. Default 500. */
  subscriptionBatchSize?: number;
  /** Connection settings for the subscriptions' shared LISTEN client; default: the pool's. */
  listenConnection?: ClientConfig;
  /** Background failures (a NOTIFY, a subscription read being retried). Default: ignored. */
  onError?: (error: unknown) => void;
  hooks?: PostgresEventStoreHooks;
}

interface PgError {
  code?: string;
  constraint?: string;
}

type AppendRow = [number, string | null, string | null, string | null];
type FoundRow = [string, string, string, string, string, string];

/** Event ids are uuids (the column's type); anything else cannot be stored. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EXPECTED_NO_STREAM = '-1';
const EXPECTED_ANY = '-2';

/**
 * The event store on PostgreSQL (schema `eventstore`). Appends are one statement (a plpgsql function)
 * and one round trip; global order and subscriptions follow the xmin rule in postgres-event-store.sql.ts.
 */
export class PostgresEventStore implements EventStore {
  private readonly pool: Pool;
  private readonly upcasters?: UpcasterRegistry;
  private readonly subscriptions = new Set<PostgresSubscription>();
  private readonly notifier: AppendNotifier;
  private appendListener: PostgresAppendListener | null = null;
  private closed = false;

  constructor(private readonly options: PostgresEventStoreOptions) {
    this.pool = options.pool;
    this.upcasters = options.upcasters;
    this.notifier = new AppendNotifier(this.pool, options.onError);
    // An idle pooled connection that dies (server restart, terminated backend) must not crash the process;
    // the pool drops it and opens a new one on demand.
    if (options.ownsPool && this.pool.listenerCount('error') === 0)
      this.pool.on('error', (error) => options.onError?.(error));
  }

  /** Creates the schema if missing. Idempotent, and safe when several processes run it at once. */
  static async migrate(pool: Pool): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [SCHEMA_LOCK_KEY]);
      await client.query(SCHEMA_SQL);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  ensureSchema(): Promise<void> {
    return PostgresEventStore.migrate(this.pool);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`appendToStream(${streamId}): no events to append`);
    const { expectedRevision } = options;
    const expected =
      expectedRevision === 'no_stream'
        ? EXPECTED_NO_STREAM
        : expectedRevision === 'any'
          ? EXPECTED_ANY
          : expectedParam(expectedRevision);
    let payload = '[';
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (i > 0) payload += ',';
      payload += JSON.stringify({ id: e.id, type: e.type, data: e.data, metadata: e.metadata });
    }
    payload += ']';

    let row: AppendRow;
    try {
      row = this.options.hooks?.beforeCommit
        ? await this.appendInTransaction(streamId, expected, payload, this.options.hooks.beforeCommit)
        : (
            await this.pool.query<AppendRow>({
              name: 'eventstore_append',
              text: APPEND_SQL,
              values: [streamId, expected, payload],
              rowMode: 'array',
            })
          ).rows[0];
    } catch (error) {
      const pgError = error as PgError;
      if (pgError.code === '23505' && pgError.constraint === 'events_event_id_unique') {
        // A concurrent append of the same ids won the race; acknowledge it if it is this very batch.
        const stored = await this.findStored(streamId, events);
        if (stored) return stored;
        throw new DuplicateEventIdError(events[0].id, streamId);
      }
      throw error;
    }

    if (row[0] !== 0) {
      // Wrong expected revision, unless this is a retry of a batch that was already stored.
      const stored = await this.findStored(streamId, events);
      if (stored) return stored;
      throw new WrongExpectedRevisionError(
        streamId,
        expectedRevision,
        row[1] === null ? 'no_stream' : BigInt(row[1]),
      );
    }
    this.notifier.notify();
    return {
      nextExpectedRevision: BigInt(row[1]!),
      position: { commit: BigInt(row[2]!), prepare: BigInt(row[3]!) },
    };
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const from = options.fromRevision ?? 0n;
    const result = await this.pool.query<EventRow>({
      name: 'eventstore_read_stream',
      text: READ_STREAM_SQL,
      values: [streamId, from.toString(), options.maxCount ?? null],
      rowMode: 'array',
    });
    return this.toEvents(result.rows);
  }

  async findEvent(streamId: string, eventId: string): Promise<RecordedEvent | null> {
    if (!UUID.test(eventId)) return null;
    const result = await this.pool.query<EventRow>({
      name: 'eventstore_find_event',
      text: FIND_EVENT_SQL,
      values: [streamId, eventId],
      rowMode: 'array',
    });
    return result.rows.length > 0 ? rowToEvent(result.rows[0], this.upcasters) : null;
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    const [commit, prepare] = positionParams(options.after);
    const result = await this.pool.query<EventRow>({
      name: 'eventstore_read_all',
      text: READ_ALL_SQL,
      values: [commit, prepare, options.maxCount],
      rowMode: 'array',
    });
    const events = this.toEvents(result.rows);
    return {
      events,
      lastPosition: events.length > 0 ? events[events.length - 1].position : (options.after ?? null),
      isFull: events.length === options.maxCount,
    };
  }

  subscribeToAll(options: SubscribeOptions = {}): PostgresSubscription {
    if (this.closed) throw new Error('PostgresEventStore is closed');
    const subscription = new PostgresSubscription({
      pool: this.pool,
      appendListener: (this.appendListener ??= new PostgresAppendListener(
        this.options.listenConnection ?? (this.pool.options as ClientConfig),
      )),
      after: options.after ?? null,
      batchSize: options.batchSize ?? this.options.subscriptionBatchSize ?? 500,
      pollIntervalMs: this.options.subscriptionPollIntervalMs ?? 250,
      upcasters: this.upcasters,
      onError: this.options.onError,
      onClosed: (s) => this.subscriptions.delete(s),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    const result = await this.pool.query<[string, string]>({
      name: 'eventstore_head',
      text: HEAD_POSITION_SQL,
      rowMode: 'array',
    });
    const row = result.rows[0];
    return row ? { commit: BigInt(row[0]), prepare: BigInt(row[1]) } : null;
  }

  async countAfter(after: Position | null, cap: number): Promise<number> {
    const [commit, prepare] = positionParams(after);
    const result = await this.pool.query<[number]>({
      name: 'eventstore_count_after',
      text: COUNT_AFTER_SQL,
      values: [commit, prepare, cap],
      rowMode: 'array',
    });
    return result.rows[0][0];
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.appendListener?.close();
    await this.notifier.drain();
    if (this.options.ownsPool) await this.pool.end();
  }

  private toEvents(rows: EventRow[]): RecordedEvent[] {
    const events = new Array<RecordedEvent>(rows.length);
    for (let i = 0; i < rows.length; i++) events[i] = rowToEvent(rows[i], this.upcasters);
    return events;
  }

  private async appendInTransaction(
    streamId: string,
    expected: string,
    payload: string,
    beforeCommit: (streamId: string) => Promise<void>,
  ): Promise<AppendRow> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await client.query<AppendRow>({
        text: APPEND_SQL,
        values: [streamId, expected, payload],
        rowMode: 'array',
      });
      const row = result.rows[0];
      if (row[0] === 0) await beforeCommit(streamId);
      await client.query('COMMIT');
      return row;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * The original result when every id of `events` is already stored in `streamId`, in this order at
   * consecutive revisions (a retried append); null when none is stored; DuplicateEventIdError otherwise.
   */
  private async findStored(streamId: string, events: readonly NewEvent[]): Promise<AppendResult | null> {
    const ids = events.map((e) => e.id);
    const result = await this.pool.query<FoundRow>({
      text: FIND_EVENT_IDS_SQL,
      values: [ids],
      rowMode: 'array',
    });
    if (result.rows.length === 0) return null;
    const byId = new Map(result.rows.map((r) => [r[0], r]));
    let previous: bigint | null = null;
    let last: FoundRow | undefined;
    for (const event of events) {
      const row = byId.get(event.id.toLowerCase());
      const revision = row ? BigInt(row[2]) : null;
      if (
        !row ||
        row[1] !== streamId ||
        row[5] !== event.type ||
        (previous !== null && revision !== previous + 1n)
      ) {
        throw new DuplicateEventIdError(event.id, streamId);
      }
      previous = revision;
      last = row;
    }
    return {
      nextExpectedRevision: BigInt(last![2]),
      position: { commit: BigInt(last![3]), prepare: BigInt(last![4]) },
    };
  }
}

function expectedParam(revision: bigint): string {
  if (typeof revision !== 'bigint' || revision < 0n) {
    throw new RangeError(
      `expectedRevision must be 'no_stream', 'any' or a bigint >= 0, got ${String(revision)}`,
    );
  }
  return revision.toString();
}

/**
 * NOTIFY after commit, on its own pooled connection: a NOTIFY inside the append transaction would take
 * the global notify queue lock and serialize all commits. Coalesced: at most one in flight and one pending,
 * since one notification wakes every subscriber to read everything committed so far.
 */
class AppendNotifier {
  private inflight: Promise<void> | null = null;
  private pending = false;

  constructor(
    private readonly pool: Pool,
    private readonly onError?: (error: unknown) => void,
  ) {}

  notify(): void {
    if (this.inflight) {
      this.pending = true;
      return;
    }
    this.inflight = this.run();
  }

  async drain(): Promise<void> {
    while (this.inflight) await this.inflight;
  }

  private async run(): Promise<void> {
    do {
      this.pending = false;
      try {
        await this.pool.query(`NOTIFY ${NOTIFY_CHANNEL}`);
      } catch (error) {
        // Subscribers still poll; a lost notification only delays them.
        this.onError?.(error);
      }
    } while (this.pending);
    this.inflight = null;
  }
}
