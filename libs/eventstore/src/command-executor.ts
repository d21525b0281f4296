import {
  DEFAULT_RETRY_POLICY,
  STRATUS_ID_NAMESPACE,
  type Command,
  type CommandMetadata,
  type Decider,
  type DomainEvent,
  type RetryPolicy,
  type StreamPolicy,
} from '@stratus/domain';
import { v4 as uuidv4, v5 as uuidv5 } from 'uuid';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type Actor,
  type EventStore,
  type NewEvent,
  type Position,
  type RecordedEvent,
} from './event-store.port';
import { KeyedMutex } from './keyed-mutex';
import type { PostgresSnapshotStore } from './postgres-snapshot-store';

/** The uuid v5 of `key`: re-running the command that appends it is acknowledged by the store, not duplicated. */
export function deterministicEventId(key: string): string {
  return uuidv5(key, STRATUS_ID_NAMESPACE);
}

/** What the executor needs from a snapshot store (PostgresSnapshotStore). */
export type SnapshotStorePort = Pick<PostgresSnapshotStore, 'load' | 'save'>;

/** Raised when every attempt lost the optimistic-concurrency race (the API answers 409 `conflict`). */
export class ConcurrencyConflictError extends Error {
  override readonly name = 'ConcurrencyConflictError';
  constructor(
    readonly streamId: string,
    readonly attempts: number,
  ) {
    super(`Stream ${streamId} kept changing concurrently; gave up after ${attempts} attempts`);
  }
}

export interface CommandExecutorOptions {
  eventStore: EventStore;
  snapshots?: SnapshotStorePort | null;
  /** The instant written into command metadata and event metadata. Default: the system clock. */
  clock?: () => Date;
  /** Retry policy of the streams whose StreamPolicy sets none. Default: DEFAULT_RETRY_POLICY. */
  retry?: RetryPolicy;
  /** Snapshots are a cache: an unreadable one or a failed write is reported here, never thrown. */
  onSnapshotError?: (streamId: string, error: unknown) => void;
  /** Called for each lost write race that is retried (metrics, benchmarks). */
  onConflictRetry?: (streamId: string, attempt: number) => void;
  /** Backoff randomness and sleep (tests). */
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Who runs a command and under what: every event gets the correlation id, the actor and a causation id.
 * `causationId` advances to the id of the last event appended, so the commands of one use case (register:
 * email, user, organization, wallet) form a causal chain.
 */
export interface CommandContext {
  readonly actor: Actor;
  readonly correlationId: string;
  causationId: string;
}

export interface LoadedStream<S> {
  state: S;
  /** Last revision of the stream, or 'no_stream'. */
  revision: bigint | 'no_stream';
  /** Position of the last event read, when any event was read. */
  lastPosition: Position | null;
  /** Revision the snapshot used was taken at, if one was used. */
  snapshotRevision: bigint | null;
  /** Events read past the snapshot (all of them without one). */
  events: RecordedEvent[];
}

export interface ExecuteCommandOptions<S, C extends Command, E extends DomainEvent> {
  streamId: string;
  decider: Decider<S, C, E>;
  /**
   * Builds the command from the freshly loaded state (again on every retry) and the clock's reading.
   * Return null when there is nothing to do (nothing is appended).
   */
  command: (state: S, metadata: CommandMetadata, loaded: LoadedStream<S>) => NoInfer<C> | null;
  context: CommandContext;
  /** The stream kind's policy (snapshots, retries), defined beside its decider in libs/domain. */
  policy?: StreamPolicy<S>;
  /**
   * Id of each decided event. Default: deterministicEventId(`${idempotencyKey}/${index}`) with an
   * `idempotencyKey`, else a fresh uuid v4. Commands that may run again (activities, requests with an
   * Idempotency-Key) must give one of the two.
   */
  eventId?: (event: E, index: number) => string;
  idempotencyKey?: string;
  /**
   * Ids whose presence in the stream means this command already ran: the events recorded then are
   * returned (`alreadyApplied`) and nothing is decided. Default: the id of the first event under
   * `idempotencyKey`; none without one.
   */
  appliedIds?: readonly string[];
  /** Require the stream to be new ('no_stream') instead of the loaded revision. */
  expectNoStream?: boolean;
}

export interface ExecuteCommandResult<S, E extends DomainEvent> {
  /** The events this command stands for: appended now, or found already stored by an earlier run. */
  events: (E & { id: string })[];
  /** The state after those events (the decided state): no need to read the stream again. */
  state: S;
  revision: bigint | 'no_stream';
  /** Position of the last of `events`, or of the stream's last event when nothing was decided. */
  position: Position | null;
  /**
   * True when an earlier run of the same command (same deterministic event ids) had already stored its
   * events: they are acknowledged, not appended again, and `state` is the stream's current state.
   */
  alreadyApplied: boolean;
}

/** Events read after a found event to collect the rest of its batch (commands decide a few events at most). */
const MAX_BATCH_READ = 32;

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Full-jitter backoff before attempt n (none before the first). */
export function backoffDelay(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  if (attempt < 2) return 0;
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
  return Math.floor(random() * ceiling);
}

/**
 * The one command path of Stratus (API handlers through a Nest provider, Temporal activities directly):
 * load (from a snapshot when the stream kind has one) → decide → append with the expected revision.
 *
 * - Idempotent: events carry deterministic ids; a run that finds them already in the stream returns them
 *   (`alreadyApplied`) instead of deciding again, and a store that already holds them acknowledges the append.
 * - Losing an optimistic-concurrency race reloads and decides again against the state that won, a bounded,
 *   jittered number of times, then throws ConcurrencyConflictError. Commands on one stream from this process
 *   queue (KeyedMutex) instead of racing each other.
 * - Snapshots are written after the command, not awaited by it: a snapshot is a cache of the fold, so a lost
 *   or failed write only means the next load folds more events. Keeping the write off the command (and off the
 *   stream's queue) keeps it off the latency of every 200th charge. Failures go to `onSnapshotError`; `flush()`
 *   waits for writes in flight (shutdown, tests). Writes are monotonic (the store keeps the newest revision).
 */
export class CommandExecutor {
  private readonly clock: () => Date;
  private readonly retry: RetryPolicy;
  private readonly random: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly mutex = new KeyedMutex();
  private readonly pendingSnapshots = new Set<Promise<void>>();

  constructor(private readonly options: CommandExecutorOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** The stream's state (folded from its snapshot when the policy has one) and the events read. */
  async load<S, C extends Command, E extends DomainEvent>(
    streamId: string,
    decider: Decider<S, C, E>,
    policy?: StreamPolicy<S>,
  ): Promise<LoadedStream<S>> {
    let state = decider.initialState();
    let fromRevision = 0n;
    let snapshotRevision: bigint | null = null;
    const snapshots = policy?.snapshots;
    const store = this.options.snapshots;
    if (snapshots && store) {
      try {
        const snapshot = await store.load(streamId);
        if (snapshot && snapshot.schemaVersion === snapshots.schemaVersion) {
          state = snapshots.fromSnapshot(snapshot.state);
          snapshotRevision = snapshot.revision;
          fromRevision = snapshot.revision + 1n;
        }
      } catch (error) {
        // A snapshot is a cache: an unreadable one means folding from the start.
        this.options.onSnapshotError?.(streamId, error);
        state = decider.initialState();
        snapshotRevision = null;
        fromRevision = 0n;
      }
    }
    const events = await this.options.eventStore.readStream(streamId, { fromRevision });
    for (const event of events) state = decider.evolve(state, { type: event.type, data: event.data } as E);
    const last = events.at(-1);
    const revision = last?.revision ?? snapshotRevision ?? 'no_stream';
    return { state, revision, lastPosition: last?.position ?? null, snapshotRevision, events };
  }

  async execute<S, C extends Command, E extends DomainEvent>(
    options: ExecuteCommandOptions<S, C, E>,
  ): Promise<ExecuteCommandResult<S, E>> {
    // Commands on one stream from this process queue here instead of racing each other to the database
    // (e.g. every server of an organization charged at the same period boundary); expected revisions with
    // retry still guard against other processes.
    return this.mutex.run(options.streamId, () => this.executeNow(options));
  }

  /** Waits for snapshot writes in flight (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingSnapshots]);
  }

  private async executeNow<S, C extends Command, E extends DomainEvent>(
    options: ExecuteCommandOptions<S, C, E>,
  ): Promise<ExecuteCommandResult<S, E>> {
    const { streamId, decider, context, policy } = options;
    const retry = policy?.retry ?? this.retry;
    const key = options.idempotencyKey;
    const eventId =
      options.eventId ??
      (key ? (_event: E, index: number) => deterministicEventId(`${key}/${index}`) : () => uuidv4());
    const appliedIds = new Set(
      (options.appliedIds ?? (key ? [deterministicEventId(`${key}/0`)] : [])).map((id) => id.toLowerCase()),
    );

    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) await this.sleep(backoffDelay(attempt, retry, this.random));
      const loaded = await this.load(streamId, decider, policy);
      // Past the events read, a snapshot may hide an earlier run: look its ids up in the whole stream, never
      // decide again (a paid period retried with the wallet since drained would record a failed charge).
      const applied =
        findApplied<S, E>(loaded, appliedIds) ??
        (loaded.snapshotRevision !== null ? await this.findStored<S, E>(streamId, loaded, appliedIds) : null);
      if (applied) return applied;

      const now = this.clock().toISOString();
      const command = options.command(
        loaded.state,
        { now, actor: { userId: context.actor.userId, role: context.actor.role } },
        loaded,
      );
      const decided = command ? decider.decide(command, loaded.state) : [];
      if (decided.length === 0) {
        return {
          events: [],
          state: loaded.state,
          revision: loaded.revision,
          position: loaded.lastPosition,
          alreadyApplied: false,
        };
      }
      const withIds = decided.map((event, index) => ({ ...event, id: eventId(event, index) }));
      let causationId = context.causationId;
      const toAppend: NewEvent[] = withIds.map((event) => {
        const newEvent: NewEvent = {
          id: event.id,
          type: event.type,
          data: event.data,
          metadata: {
            correlationId: context.correlationId,
            causationId,
            actor: context.actor,
            occurredAt: now,
            schemaVersion: 1,
          },
        };
        causationId = event.id;
        return newEvent;
      });

      try {
        const result = await this.options.eventStore.appendToStream(streamId, toAppend, {
          expectedRevision: options.expectNoStream ? 'no_stream' : loaded.revision,
        });
        context.causationId = causationId;
        const firstRevision = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
        const stored = result.nextExpectedRevision === firstRevision + BigInt(decided.length) - 1n;
        if (!stored) {
          // The store acknowledged a batch an earlier run had appended (a snapshot, or ids not listed in
          // `appliedIds`, hid it from the check above): return that run's events as stored, and the stream's state.
          const current = await this.load(streamId, decider, policy);
          const ids = new Set(withIds.map((e) => e.id.toLowerCase()));
          const earlier = await this.findStored<S, E>(streamId, current, ids);
          if (earlier) return earlier;
          return {
            events: withIds,
            state: current.state,
            revision: current.revision,
            position: result.position,
            alreadyApplied: true,
          };
        }
        let state = loaded.state;
        for (const event of decided) state = decider.evolve(state, event);
        if (policy?.snapshots)
          this.snapshotLater(streamId, loaded, result.nextExpectedRevision, state, policy);
        return {
          events: withIds,
          state,
          revision: result.nextExpectedRevision,
          position: result.position,
          alreadyApplied: false,
        };
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError) {
          if (attempt >= retry.maxAttempts) throw new ConcurrencyConflictError(streamId, attempt);
          this.options.onConflictRetry?.(streamId, attempt);
          continue;
        }
        if (error instanceof DuplicateEventIdError) {
          // The same ids were stored with another outcome (e.g. the decision changed between runs):
          // the first outcome stands. Look for it by id in the whole stream, past any snapshot.
          const ids = new Set([...appliedIds, ...withIds.map((e) => e.id.toLowerCase())]);
          const earlier = await this.findStored<S, E>(streamId, loaded, ids);
          if (earlier) return earlier;
        }
        throw error;
      }
    }
  }

  /**
   * The run that stored one of `ids` anywhere in the stream, found by id (EventStore.findEvent: O(1) reads
   * however long the stream), with the events it caused right after it; `loaded` gives state and revision.
   */
  private async findStored<S, E extends DomainEvent>(
    streamId: string,
    loaded: LoadedStream<S>,
    ids: ReadonlySet<string>,
  ): Promise<ExecuteCommandResult<S, E> | null> {
    const found = await Promise.all([...ids].map((id) => this.options.eventStore.findEvent(streamId, id)));
    const first = found
      .filter((event): event is RecordedEvent => event !== null)
      .sort((a, b) => (a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0))[0];
    if (!first) return null;
    const batch = await this.options.eventStore.readStream(streamId, {
      fromRevision: first.revision,
      maxCount: MAX_BATCH_READ,
    });
    return findApplied<S, E>({ ...loaded, events: batch }, ids);
  }

  private snapshotLater<S>(
    streamId: string,
    loaded: LoadedStream<S>,
    revision: bigint,
    state: S,
    policy: StreamPolicy<S>,
  ): void {
    const store = this.options.snapshots;
    const snapshots = policy.snapshots;
    if (!store || !snapshots) return;
    if (revision - (loaded.snapshotRevision ?? -1n) < BigInt(snapshots.every)) return;
    const pending = (async () => {
      try {
        await store.save(streamId, revision, snapshots.schemaVersion, snapshots.toSnapshot(state));
      } catch (error) {
        this.options.onSnapshotError?.(streamId, error);
      }
    })();
    this.pendingSnapshots.add(pending);
    void pending.finally(() => this.pendingSnapshots.delete(pending));
  }
}

/** The run that stored one of `ids`: its events (those with the same causation chain start), or null. */
function findApplied<S, E extends DomainEvent>(
  loaded: LoadedStream<S>,
  ids: ReadonlySet<string>,
): ExecuteCommandResult<S, E> | null {
  if (ids.size === 0) return null;
  const index = loaded.events.findIndex((event) => ids.has(event.id.toLowerCase()));
  if (index === -1) return null;
  // The batch is the first event found and the events it caused, appended right after it.
  const batch: RecordedEvent[] = [loaded.events[index]];
  for (let i = index + 1; i < loaded.events.length; i++) {
    if (loaded.events[i].metadata.causationId !== batch[batch.length - 1].id) break;
    batch.push(loaded.events[i]);
  }
  return {
    events: batch.map(
      (event) => ({ type: event.type, data: event.data, id: event.id }) as E & { id: string },
    ),
    state: loaded.state,
    revision: loaded.revision,
    position: batch[batch.length - 1].position,
    alreadyApplied: true,
  };
}
