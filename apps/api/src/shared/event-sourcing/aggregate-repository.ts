import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import type { Command, Decider, DomainEvent } from '@stratus/domain';
import {
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type PostgresSnapshotStore,
  type RecordedEvent,
} from '@stratus/eventstore';
import { v4 as uuidv4 } from 'uuid';
import type { CommandContext } from '../request-context/command-context';
import { KeyedMutex } from '@stratus/eventstore';
import { DEFAULT_RETRY_POLICY, retryOnConflict, type RetryPolicy } from './retry-on-conflict';
import { CLOCK, EVENT_STORE, RETRY_POLICY, SNAPSHOT_STORE, systemClock, type Clock } from './tokens';

/** What the repository needs from a snapshot store (PostgresSnapshotStore). */
export type SnapshotStorePort = Pick<PostgresSnapshotStore, 'load' | 'save'>;

export interface SnapshotPolicy<S> {
  /** Take a new snapshot once this many events were appended since the last one. */
  every: number;
  /** Shape version of the snapshot; snapshots of another version are ignored. */
  schemaVersion: number;
  toSnapshot(state: S): unknown;
  fromSnapshot(data: unknown): S;
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

export interface ExecuteOptions<S, C extends Command, E extends DomainEvent> {
  streamId: string;
  decider: Decider<S, C, E>;
  /** The command, built from the freshly loaded state (re-built on every retry) and the clock's reading. */
  command: (state: S, metadata: C['metadata'], loaded: LoadedStream<S>) => NoInfer<C>;
  context: CommandContext;
  /** Deterministic event ids (idempotency); default a fresh uuid per event. */
  eventId?: (event: E, index: number) => string;
  /** Require the stream to be new ('no_stream') instead of the loaded revision. */
  expectNoStream?: boolean;
  snapshots?: SnapshotPolicy<S>;
}

export interface ExecuteResult<S, E extends DomainEvent> {
  /** Events appended (empty when the decider decided nothing needed to change). */
  events: (E & { id: string })[];
  state: S;
  revision: bigint | 'no_stream';
  /** Position of the last event appended, or of the stream's last event when nothing was appended. */
  position: Position | null;
  /**
   * The events' (deterministic) ids were already stored by an earlier request: the store acknowledged
   * the append without writing, and `state` was re-read rather than evolved.
   */
  replayed: boolean;
}

/**
 * Load → decide → append with the expected revision, retried (bounded, jittered) when another writer
 * got there first. Commands on one stream are also queued per process, so a single API instance
 * rarely races itself. Every event gets the request's correlation id, a causal chain, the actor and
 * the instant read from the clock here (the domain has no clock).
 */
@Injectable()
export class AggregateRepository {
  private readonly logger = new Logger('AggregateRepository');
  private readonly mutex = new KeyedMutex();
  private readonly pendingSnapshots = new Set<Promise<void>>();

  constructor(
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Optional() @Inject(SNAPSHOT_STORE) private readonly snapshotStore: SnapshotStorePort | null = null,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
    @Optional() @Inject(RETRY_POLICY) private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY_POLICY,
  ) {
    this.clock ??= systemClock;
    this.retryPolicy ??= DEFAULT_RETRY_POLICY;
  }

  async load<S, C extends Command, E extends DomainEvent>(
    streamId: string,
    decider: Decider<S, C, E>,
    snapshots?: SnapshotPolicy<S>,
  ): Promise<LoadedStream<S>> {
    let state = decider.initialState();
    let fromRevision = 0n;
    let snapshotRevision: bigint | null = null;
    if (snapshots && this.snapshotStore) {
      try {
        const snapshot = await this.snapshotStore.load(streamId);
        if (snapshot && snapshot.schemaVersion === snapshots.schemaVersion) {
          state = snapshots.fromSnapshot(snapshot.state);
          snapshotRevision = snapshot.revision;
          fromRevision = snapshot.revision + 1n;
        }
      } catch (error) {
        // A snapshot is an optimisation: an unreadable one means folding from the start.
        this.logger.warn(`snapshot of ${streamId} unusable, folding all events: ${String(error)}`);
        state = decider.initialState();
        fromRevision = 0n;
        snapshotRevision = null;
      }
    }
    const events = await this.eventStore.readStream(streamId, { fromRevision });
    for (const event of events) state = decider.evolve(state, { type: event.type, data: event.data } as E);
    const last = events.at(-1);
    const revision = last ? last.revision : (snapshotRevision ?? 'no_stream');
    return { state, revision, lastPosition: last?.position ?? null, snapshotRevision, events };
  }

  async execute<S, C extends Command, E extends DomainEvent>(
    options: ExecuteOptions<S, C, E>,
  ): Promise<ExecuteResult<S, E>> {
    const { streamId, decider, context } = options;
    return this.mutex.run(streamId, () =>
      retryOnConflict(
        streamId,
        async () => {
          const loaded = await this.load(streamId, decider, options.snapshots);
          const occurredAt = this.clock.now().toISOString();
          const command = options.command(
            loaded.state,
            { now: occurredAt, actor: { userId: context.actor.userId, role: context.actor.role } },
            loaded,
          );
          const decided = decider.decide(command, loaded.state);
          if (decided.length === 0) {
            return {
              events: [],
              state: loaded.state,
              revision: loaded.revision,
              position: loaded.lastPosition,
              replayed: false,
            };
          }
          let causationId = context.causationId;
          const withIds = decided.map((event, index) => ({
            ...event,
            id: options.eventId?.(event, index) ?? uuidv4(),
          }));
          const toAppend: NewEvent[] = withIds.map((event) => {
            const newEvent: NewEvent = {
              id: event.id,
              type: event.type,
              data: event.data,
              metadata: {
                correlationId: context.correlationId,
                causationId,
                actor: context.actor,
                occurredAt,
                schemaVersion: 1,
              },
            };
            causationId = event.id;
            return newEvent;
          });
          const expectedRevision: ExpectedRevision = options.expectNoStream ? 'no_stream' : loaded.revision;
          const result = await this.eventStore.appendToStream(streamId, toAppend, { expectedRevision });
          context.causationId = causationId;
          const appendedAt = loaded.revision === 'no_stream' ? 0n : loaded.revision + 1n;
          const replayed = result.nextExpectedRevision !== appendedAt + BigInt(decided.length) - 1n;
          if (replayed) {
            const current = await this.load(streamId, decider, options.snapshots);
            return {
              events: withIds,
              state: current.state,
              revision: current.revision,
              position: result.position,
              replayed,
            };
          }
          let state = loaded.state;
          for (const event of decided) state = decider.evolve(state, event);
          if (options.snapshots)
            this.maybeSnapshot(streamId, loaded, result.nextExpectedRevision, state, options.snapshots);
          return {
            events: withIds,
            state,
            revision: result.nextExpectedRevision,
            position: result.position,
            replayed,
          };
        },
        this.retryPolicy,
      ),
    );
  }

  /** Snapshots are written after the response path, never awaited by the command. */
  private maybeSnapshot<S>(
    streamId: string,
    loaded: LoadedStream<S>,
    revision: bigint,
    state: S,
    policy: SnapshotPolicy<S>,
  ): void {
    if (!this.snapshotStore) return;
    const base = loaded.snapshotRevision ?? -1n;
    if (revision - base < BigInt(policy.every)) return;
    const store = this.snapshotStore;
    const pending = (async () => {
      try {
        await store.save(streamId, revision, policy.schemaVersion, policy.toSnapshot(state));
      } catch (error) {
        this.logger.warn(`could not save snapshot of ${streamId} at ${revision}: ${String(error)}`);
      }
    })();
    this.pendingSnapshots.add(pending);
    void pending.finally(() => this.pendingSnapshots.delete(pending));
  }

  /** Waits for snapshot writes in flight (shutdown, tests). */
  async flush(): Promise<void> {
    await Promise.all([...this.pendingSnapshots]);
  }
}
