import { KeyedMutex } from './keyed-mutex';
import type { Command, CommandMetadata, Decider, DomainEvent } from '@stratus/domain';
import { v5 as uuidv5 } from 'uuid';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  type Actor,
  type EventStore,
  type NewEvent,
  type RecordedEvent,
} from './event-store.port';
import type { PostgresSnapshotStore } from './postgres-snapshot-store';

/**
 * Namespace of Stratus's deterministic ids (uuid v5): the same value as the API's STRATUS_ID_NAMESPACE,
 * so an id derived from a key is the same whichever process derives it. Keys carry a prefix per use.
 */
export const STRATUS_EVENT_ID_NAMESPACE = '3f0b8f52-6c2e-4b8e-9a51-7c1d2f6e4a90';

/** The uuid v5 of `key`: re-running the command that appends it is acknowledged by the store, not duplicated. */
export function deterministicEventId(key: string): string {
  return uuidv5(key, STRATUS_EVENT_ID_NAMESPACE);
}

export type SnapshotStorePort = Pick<PostgresSnapshotStore, 'load' | 'save'>;

export interface CommandSnapshotPolicy<S> {
  /** Take a new snapshot once this many events were appended since the last one. */
  every: number;
  schemaVersion: number;
  toSnapshot(state: S): unknown;
  fromSnapshot(data: unknown): S;
}

export interface CommandExecutorRetryPolicy {
  /** Total attempts on WrongExpectedRevisionError, the first included. */
  maxAttempts: number;
  /** Full-jitter backoff ceiling before attempt n: min(maxDelayMs, baseDelayMs * 2^(n-2)). */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_COMMAND_RETRY: CommandExecutorRetryPolicy = Object.freeze({
  maxAttempts: 8,
  baseDelayMs: 10,
  maxDelayMs: 250,
});

export interface CommandExecutorOptions {
  eventStore: EventStore;
  snapshots?: SnapshotStorePort | null;
  /** The instant written into command metadata and event metadata. Default: the system clock. */
  clock?: () => Date;
  retry?: CommandExecutorRetryPolicy;
  /** Snapshot writes are best effort; failures are reported here. */
  onSnapshotError?: (streamId: string, error: unknown) => void;
  /** Called for each lost write race that is retried (metrics, benchmarks). */
  onConflictRetry?: (streamId: string, attempt: number) => void;
}

export interface CommandContext {
  actor: Actor;
  correlationId: string;
  causationId: string;
}

export interface ExecuteCommandOptions<S, C extends Command, E extends DomainEvent> {
  streamId: string;
  decider: Decider<S, C, E>;
  /**
   * Builds the command from the freshly loaded state (again on every retry). Return null when there is
   * nothing to do (nothing is appended).
   */
  command: (state: S, metadata: CommandMetadata) => C | null;
  context: CommandContext;
  /**
   * Deterministic id of each decided event. Default: deterministicEventId(`${idempotencyKey}/${index}`).
   * One of `eventId` or `idempotencyKey` is required: commands run by activities must be re-runnable.
   */
  eventId?: (event: E, index: number) => string;
  idempotencyKey?: string;
  /**
   * Ids whose presence in the stream means this command already ran: the events recorded then are
   * returned (`alreadyApplied`) and nothing is decided. Default: the id of the first event under
   * `idempotencyKey`.
   */
  appliedIds?: readonly string[];
  snapshots?: CommandSnapshotPolicy<S>;
}

export interface ExecuteCommandResult<S, E extends DomainEvent> {
  /** The events this command stands for: appended now, or found already stored by an earlier run. */
  events: (E & { id: string })[];
  state: S;
  revision: bigint | 'no_stream';
  /** True when an earlier run of the same command had already stored its events. */
  alreadyApplied: boolean;
}

interface Loaded<S> {
  state: S;
  revision: bigint | 'no_stream';
  snapshotRevision: bigint | null;
  events: RecordedEvent[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Framework-free load → decide → append with the expected revision, for processes outside the API
 * (Temporal activities). Re-running a command is safe: its events carry deterministic ids, a run that
 * finds them already in the stream returns them instead of deciding again, and a store that already
 * holds them acknowledges the append. Losing an optimistic-concurrency race reloads and decides again,
 * a bounded number of times.
 */
export class CommandExecutor {
  private readonly clock: () => Date;
  private readonly retry: CommandExecutorRetryPolicy;

  constructor(private readonly options: CommandExecutorOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.retry = options.retry ?? DEFAULT_COMMAND_RETRY;
  }

  private readonly mutex = new KeyedMutex();

  async load<S, C extends Command, E extends DomainEvent>(
    streamId: string,
    decider: Decider<S, C, E>,
    snapshots?: CommandSnapshotPolicy<S>,
  ): Promise<Loaded<S>> {
    let state = decider.initialState();
    let fromRevision = 0n;
    let snapshotRevision: bigint | null = null;
    const store = this.options.snapshots;
    if (snapshots && store) {
      try {
        const snapshot = await store.load(streamId);
        if (snapshot && snapshot.schemaVersion === snapshots.schemaVersion) {
          state = snapshots.fromSnapshot(snapshot.state);
          snapshotRevision = snapshot.revision;
          fromRevision = snapshot.revision + 1n;
        }
      } catch {
        // A snapshot is a cache: an unreadable one means folding from the start.
        state = decider.initialState();
        snapshotRevision = null;
        fromRevision = 0n;
      }
    }
    const events = await this.options.eventStore.readStream(streamId, { fromRevision });
    for (const event of events) state = decider.evolve(state, { type: event.type, data: event.data } as E);
    const revision = events.at(-1)?.revision ?? snapshotRevision ?? 'no_stream';
    return { state, revision, snapshotRevision, events };
  }

  async execute<S, C extends Command, E extends DomainEvent>(
    options: ExecuteCommandOptions<S, C, E>,
  ): Promise<ExecuteCommandResult<S, E>> {
    // Commands on one stream from this process queue here instead of racing each other to the database
    // (e.g. every server of an organization charged at the same period boundary); expected revisions with
    // retry still guard against other processes.
    return this.mutex.run(options.streamId, () => this.executeNow(options));
  }

  private async executeNow<S, C extends Command, E extends DomainEvent>(
    options: ExecuteCommandOptions<S, C, E>,
  ): Promise<ExecuteCommandResult<S, E>> {
    const { streamId, decider, context } = options;
    const eventId = options.eventId ?? defaultEventId(options.idempotencyKey);
    const appliedIds = new Set(
      (
        options.appliedIds ??
        (options.idempotencyKey ? [deterministicEventId(`${options.idempotencyKey}/0`)] : [])
      ).map((id) => id.toLowerCase()),
    );

    for (let attempt = 1; ; attempt++) {
      if (attempt > 1) await sleep(backoff(attempt, this.retry));
      const loaded = await this.load(streamId, decider, options.snapshots);
      const applied = findApplied<S, E>(loaded, appliedIds);
      if (applied) return applied;

      const now = this.clock().toISOString();
      const command = options.command(loaded.state, {
        now,
        actor: { userId: context.actor.userId, role: context.actor.role },
      });
      const decided = command ? decider.decide(command, loaded.state) : [];
      if (decided.length === 0) {
        return { events: [], state: loaded.state, revision: loaded.revision, alreadyApplied: false };
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
          expectedRevision: loaded.revision,
        });
        const firstRevision = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
        const stored = result.nextExpectedRevision === firstRevision + BigInt(decided.length) - 1n;
        if (!stored) {
          // The store acknowledged a batch an earlier run had appended (the snapshot hid it from the check).
          const current = await this.load(streamId, decider, options.snapshots);
          return { events: withIds, state: current.state, revision: current.revision, alreadyApplied: true };
        }
        let state = loaded.state;
        for (const event of decided) state = decider.evolve(state, event);
        if (options.snapshots) {
          await this.maybeSnapshot(streamId, loaded, result.nextExpectedRevision, state, options.snapshots);
        }
        return { events: withIds, state, revision: result.nextExpectedRevision, alreadyApplied: false };
      } catch (error) {
        if (error instanceof WrongExpectedRevisionError && attempt < this.retry.maxAttempts) {
          this.options.onConflictRetry?.(streamId, attempt);
          continue;
        }
        if (error instanceof DuplicateEventIdError) {
          // The same ids were stored with another outcome (e.g. the decision changed between runs):
          // the first outcome stands. Look for it in the whole stream, past any snapshot.
          const full = await this.load(streamId, decider);
          const ids = new Set([...appliedIds, ...withIds.map((e) => e.id.toLowerCase())]);
          const earlier = findApplied<S, E>(full, ids);
          if (earlier) return earlier;
        }
        throw error;
      }
    }
  }

  private async maybeSnapshot<S>(
    streamId: string,
    loaded: Loaded<S>,
    revision: bigint,
    state: S,
    policy: CommandSnapshotPolicy<S>,
  ): Promise<void> {
    const store = this.options.snapshots;
    if (!store) return;
    if (revision - (loaded.snapshotRevision ?? -1n) < BigInt(policy.every)) return;
    try {
      await store.save(streamId, revision, policy.schemaVersion, policy.toSnapshot(state));
    } catch (error) {
      this.options.onSnapshotError?.(streamId, error);
    }
  }
}

function defaultEventId(key: string | undefined): (event: DomainEvent, index: number) => string {
  if (!key) {
    throw new Error(
      'CommandExecutor.execute: give eventId or idempotencyKey (events need deterministic ids)',
    );
  }
  return (_event, index) => deterministicEventId(`${key}/${index}`);
}

/** The run that stored one of `ids`: its events (those with the same causation chain start), or null. */
function findApplied<S, E extends DomainEvent>(
  loaded: Loaded<S>,
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
    alreadyApplied: true,
  };
}

function backoff(attempt: number, policy: CommandExecutorRetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 2));
  return Math.floor(Math.random() * ceiling);
}
