import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START as ESDB_START,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type JSONType,
  type ResolvedEvent,
} from '@eventstore/db-client';
import { deterministicEventId } from './command-executor';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  comparePositions,
  type AppendResult,
  type EventMetadata,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type ReadAllPage,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from './event-store.port';
import type { UpcasterRegistry } from './upcaster-registry';

export interface EventStoreDbEventStoreOptions {
  /** e.g. "esdb://localhost:2113?tls=false" */
  connectionString: string;
  upcasters?: UpcasterRegistry;
  /** Reported, not thrown: subscriptions resubscribe with backoff. */
  onError?: (error: unknown) => void;
}

type EsdbEvent = NonNullable<AllStreamResolvedEvent['event']>;

/** Type of the one event of an id's claim stream; never returned by reads of the all-stream. */
const EVENT_ID_CLAIMED = 'EventIdClaimed';

/** The stream that claims `eventId` for one stream: created once, at "no stream", before the event is appended. */
export function eventIdClaimStream(eventId: string): string {
  return `event-id-${eventId.toLowerCase()}`;
}

interface EventIdClaim {
  streamId: string;
  /** The event, if its append succeeded, lies at or after this revision of `streamId`. */
  fromRevision: string;
}

const RESUBSCRIBE_MIN_MS = 100;
const RESUBSCRIBE_MAX_MS = 5_000;

/**
 * The event store on EventStoreDB. Positions are the server's commit/prepare positions of $all; system
 * events ($-prefixed types) are never returned. Idempotent appends are the server's own (same ids at the
 * same expected revision are acknowledged). The server has no index of event ids, so before a batch is
 * appended each of its ids is claimed by appending to its own stream (eventIdClaimStream) at "no stream":
 * the claim names the stream and the revision the event will lie at or after, which is how findEvent finds
 * an event in O(1) reads however long its stream, and an id claimed for another stream is refused
 * (DuplicateEventIdError). One extra small append per event; claim events are never returned by reads.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<EventStoreDbSubscription>();

  constructor(private readonly options: EventStoreDbEventStoreOptions) {
    this.client = EventStoreDBClient.connectionString(options.connectionString);
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`appendToStream(${streamId}): no events to append`);
    const expected = options.expectedRevision;
    const expectedRevision: AppendExpectedRevision =
      expected === 'no_stream' ? NO_STREAM : expected === 'any' ? ANY : expected;
    await this.claimEventIds(streamId, events, expected);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({
            id: e.id,
            type: e.type,
            data: e.data as JSONType,
            metadata: e.metadata as unknown as JSONType,
          }),
        ),
        { expectedRevision },
      );
      if (!result.position)
        throw new Error('EventStoreDB did not return a position (server older than 20.6?)');
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        position: { commit: result.position.commit, prepare: result.position.prepare },
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = error.actualVersion;
        throw new WrongExpectedRevisionError(
          streamId,
          expected,
          typeof actual === 'bigint' ? actual : 'no_stream',
        );
      }
      throw error;
    }
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: FORWARDS,
        fromRevision: options.fromRevision ?? ESDB_START,
        ...(options.maxCount !== undefined ? { maxCount: options.maxCount } : {}),
      });
      for await (const resolved of read) {
        const event = this.toRecorded(resolved as ResolvedEvent);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  async findEvent(streamId: string, eventId: string): Promise<RecordedEvent | null> {
    const claim = await this.readClaim(eventId);
    if (!claim || claim.streamId !== streamId) return null;
    // Only the events appended since the claim; none when its append lost a race and was never retried.
    const wanted = eventId.toLowerCase();
    const after = await this.readStream(streamId, { fromRevision: BigInt(claim.fromRevision) });
    return after.find((event) => event.id.toLowerCase() === wanted) ?? null;
  }

  /** Claims each id for `streamId` (a retried claim is acknowledged by the server); refuses ids of another stream. */
  private async claimEventIds(
    streamId: string,
    events: readonly NewEvent[],
    expected: ExpectedRevision,
  ): Promise<void> {
    const fromRevision =
      expected === 'no_stream' ? 0n : expected === 'any' ? await this.nextRevision(streamId) : expected + 1n;
    await Promise.all(
      events.map(async (event, index) => {
        const claim: EventIdClaim = { streamId, fromRevision: (fromRevision + BigInt(index)).toString() };
        try {
          await this.client.appendToStream(
            eventIdClaimStream(event.id),
            jsonEvent({
              // The same id for every claim of this event by this stream: the server acknowledges a retry.
              id: deterministicEventId(`event-id-claim:${streamId}:${event.id.toLowerCase()}`),
              type: EVENT_ID_CLAIMED,
              data: claim as unknown as JSONType,
            }),
            { expectedRevision: NO_STREAM },
          );
        } catch (error) {
          if (error instanceof WrongExpectedVersionError) throw new DuplicateEventIdError(event.id, streamId);
          throw error;
        }
      }),
    );
  }

  private async readClaim(eventId: string): Promise<EventIdClaim | null> {
    try {
      const read = this.client.readStream(eventIdClaimStream(eventId), {
        direction: FORWARDS,
        fromRevision: ESDB_START,
        maxCount: 1,
      });
      for await (const resolved of read) {
        const event = (resolved as ResolvedEvent).event;
        if (event?.type === EVENT_ID_CLAIMED) return event.data as unknown as EventIdClaim;
      }
      return null;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
  }

  /** The revision the next event of `streamId` will get (0 for a new stream). */
  private async nextRevision(streamId: string): Promise<bigint> {
    try {
      const read = this.client.readStream(streamId, { direction: BACKWARDS, fromRevision: END, maxCount: 1 });
      for await (const resolved of read) {
        const event = (resolved as ResolvedEvent).event;
        if (event) return event.revision + 1n;
      }
      return 0n;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return 0n;
      throw error;
    }
  }

  async readAll(options: ReadAllOptions): Promise<ReadAllPage> {
    const after = options.after ?? null;
    const events: RecordedEvent[] = [];
    // fromPosition is inclusive and system events are skipped, so read one more than asked.
    const read = this.client.readAll({
      direction: FORWARDS,
      fromPosition: after ? { commit: after.commit, prepare: after.prepare } : ESDB_START,
      maxCount: options.maxCount + 1,
    });
    let raw = 0;
    for await (const resolved of read) {
      raw++;
      const event = this.toRecorded(resolved);
      if (!event || (after && comparePositions(event.position, after) <= 0)) continue;
      events.push(event);
      if (events.length === options.maxCount) break;
    }
    return {
      events,
      lastPosition: events.length > 0 ? events[events.length - 1].position : after,
      isFull: events.length === options.maxCount || raw === options.maxCount + 1,
    };
  }

  subscribeToAll(options: SubscribeOptions = {}): Subscription {
    const subscription = new EventStoreDbSubscription(
      this.client,
      options.after ?? null,
      options.batchSize ?? 500,
      (resolved) => this.toRecorded(resolved),
      this.options.onError,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position | null> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 100 });
    for await (const resolved of read) {
      const event = this.toRecorded(resolved);
      if (event) {
        await read.cancel().catch(() => undefined);
        return event.position;
      }
    }
    return null;
  }

  async countAfter(after: Position | null, cap: number): Promise<number> {
    let count = 0;
    let cursor = after;
    while (count < cap) {
      const page = await this.readAll({ after: cursor, maxCount: Math.min(cap - count, 1000) });
      count += page.events.length;
      if (!page.isFull) break;
      cursor = page.lastPosition;
    }
    return Math.min(count, cap);
  }

  async ping(): Promise<void> {
    const read = this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 });
    for await (const _ of read) break;
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  private toRecorded(resolved: AllStreamResolvedEvent | ResolvedEvent): RecordedEvent | null {
    const e = resolved.event as EsdbEvent | undefined;
    if (!e || e.type.startsWith('$') || e.type === EVENT_ID_CLAIMED || !e.isJson || !e.position) return null;
    const event: RecordedEvent = {
      id: e.id,
      type: e.type,
      data: e.data,
      metadata: e.metadata as unknown as EventMetadata,
      streamId: e.streamId,
      revision: e.revision,
      position: { commit: e.position.commit, prepare: e.position.prepare },
    };
    return this.options.upcasters ? this.options.upcasters.upcast(event) : event;
  }
}

/**
 * subscribeToAll (system events filtered out by the server) pumped into a buffer. On an error it
 * resubscribes from the last position it buffered, skipping anything at or before it, so nothing is
 * lost or repeated.
 */
class EventStoreDbSubscription implements Subscription {
  private buffer: RecordedEvent[] = [];
  private last: Position | null;
  private closed = false;
  private current: AllStreamSubscription | null = null;
  private waiter: (() => void) | null = null;
  private retryDelayMs = RESUBSCRIBE_MIN_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: EventStoreDBClient,
    after: Position | null,
    private readonly batchSize: number,
    private readonly toRecorded: (resolved: AllStreamResolvedEvent) => RecordedEvent | null,
    private readonly onError: ((error: unknown) => void) | undefined,
    private readonly onClosed: (s: EventStoreDbSubscription) => void,
  ) {
    this.last = after;
    this.subscribe();
  }

  async nextBatch(maxCount: number): Promise<RecordedEvent[]> {
    while (!this.closed && this.buffer.length === 0) {
      this.current?.resume();
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    if (this.closed) return [];
    const out = this.buffer.splice(0, maxCount);
    if (this.buffer.length < this.batchSize) this.current?.resume();
    return out;
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    let finished = false;
    try {
      for (;;) {
        const batch = await this.nextBatch(this.batchSize);
        if (batch.length === 0) {
          finished = true;
          return;
        }
        for (const event of batch) yield event;
      }
    } finally {
      if (!finished) await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const current = this.current;
    this.current = null;
    this.buffer = [];
    this.wake();
    await current?.unsubscribe().catch(() => undefined);
    this.onClosed(this);
  }

  private subscribe(): void {
    if (this.closed) return;
    const from = this.last;
    const subscription = this.client.subscribeToAll({
      fromPosition: from ? { commit: from.commit, prepare: from.prepare } : ESDB_START,
      filter: excludeSystemEvents(),
    });
    this.current = subscription;
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      if (this.current !== subscription) return;
      const event = this.toRecorded(resolved);
      if (!event || (this.last && comparePositions(event.position, this.last) <= 0)) return;
      this.retryDelayMs = RESUBSCRIBE_MIN_MS;
      this.last = event.position;
      this.buffer.push(event);
      if (this.buffer.length >= this.batchSize * 2) subscription.pause();
      this.wake();
    });
    subscription.on('error', (error: unknown) => {
      if (this.current !== subscription || this.closed) return;
      this.onError?.(error);
      this.current = null;
      subscription.unsubscribe().catch(() => undefined);
      const delay = this.retryDelayMs;
      this.retryDelayMs = Math.min(delay * 2, RESUBSCRIBE_MAX_MS);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        this.subscribe();
      }, delay);
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }
}
