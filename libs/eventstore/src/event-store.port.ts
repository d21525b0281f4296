/**
 * The event-store port. Two adapters implement it (PostgreSQL, EventStoreDB) and one
 * contract suite (`event-store.contract.ts`) proves both keep the same guarantees.
 */

/** Who did it, from where. Stored in every event's metadata. */
export interface Actor {
  userId: string;
  /** Platform role ('admin' | 'customer') or 'system' for workers. */
  role: string;
  /** The staff member acting as `userId` (impersonation session). */
  impersonatorId?: string;
  /** The API key the request authenticated with (the key's owner is `userId`). */
  apiKeyId?: string;
  ip?: string;
  userAgent?: string;
}

export interface EventMetadata {
  correlationId: string;
  causationId: string;
  actor: Actor;
  /** ISO-8601 instant at which the command was decided. */
  occurredAt: string;
  /** Version of the event's data shape; upcasters lift old versions on read. */
  schemaVersion: number;
}

/** An event to append. `id` is a uuid; appending the same id again is acknowledged, not duplicated. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  data: TData;
  metadata: EventMetadata;
}

/**
 * A position in the global order. Ordering is by `commit`, then `prepare`.
 * PostgreSQL adapter: commit = the appending transaction's id (xid8), prepare = the event's
 * sequence number, so an event committed late by an older transaction still sorts before
 * anything a subscriber may pass. EventStoreDB adapter: the server's commit/prepare positions.
 */
export interface Position {
  commit: bigint;
  prepare: bigint;
}

export interface RecordedEvent<TType extends string = string, TData = unknown> extends NewEvent<
  TType,
  TData
> {
  streamId: string;
  /** 0-based revision of the event within its stream. */
  revision: bigint;
  position: Position;
}

/** 'no_stream': the stream must not exist; 'any': no check; bigint: the stream's current last revision. */
export type ExpectedRevision = 'no_stream' | 'any' | bigint;

export interface AppendResult {
  /** Revision of the last event appended (pass it as the next expectedRevision). */
  nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  position: Position;
}

export interface ReadStreamOptions {
  /** First revision to return (inclusive). Default 0. */
  fromRevision?: bigint;
  maxCount?: number;
}

export interface ReadAllOptions {
  /** Return events strictly after this position; default: from the beginning. */
  after?: Position | null;
  /** Page size. */
  maxCount: number;
}

export interface ReadAllPage {
  events: RecordedEvent[];
  /** Position of the last event in the page, or the `after` given when the page is empty. */
  lastPosition: Position | null;
  /** True when the page was full, i.e. more events may follow immediately. */
  isFull: boolean;
}

export interface SubscribeOptions {
  /** Deliver events strictly after this checkpoint; default: from the beginning. */
  after?: Position | null;
  /** Page size used while catching up. */
  batchSize?: number;
}

/**
 * A live subscription to the all-stream. Yields every committed event exactly once, in global order,
 * first catching up and then tailing. Survives connection loss by resuming from its own last position.
 */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  /** Resolves with at least one event (waiting if none is available) and at most `maxCount`. Resolves [] once closed. */
  nextBatch(maxCount: number): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options: { expectedRevision: ExpectedRevision },
  ): Promise<AppendResult>;
  /** Events of one stream, forwards. A missing stream reads as []. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * The event stored in `streamId` under `eventId`, wherever it lies in the stream's history (however long
   * ago, past any snapshot), or null. What makes a re-run command idempotent without folding the whole stream.
   */
  findEvent(streamId: string, eventId: string): Promise<RecordedEvent | null>;
  /** One page of the all-stream, forwards, in global order. */
  readAll(options: ReadAllOptions): Promise<ReadAllPage>;
  subscribeToAll(options?: SubscribeOptions): Subscription;
  /** Position of the newest event visible to readers, or null for an empty store. */
  headPosition(): Promise<Position | null>;
  /** Number of events after `after`, counting at most `cap` (for lag metrics). */
  countAfter(after: Position | null, cap: number): Promise<number>;
  /** Cheap liveness probe for /health. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: bigint | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

/** Appending ids that were already stored in a different place or shape. */
export class DuplicateEventIdError extends Error {
  override readonly name = 'DuplicateEventIdError';
  constructor(
    readonly eventId: string,
    readonly streamId: string,
  ) {
    super(`Event ${eventId} was already appended elsewhere than stream ${streamId} at this revision`);
  }
}

export const START: Position = Object.freeze({ commit: 0n, prepare: 0n });

export function comparePositions(a: Position, b: Position): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Positions travel in JSON and headers as "commit/prepare" (e.g. "7841/1203"). */
export function formatPosition(p: Position): string {
  return `${p.commit}/${p.prepare}`;
}

export function parsePosition(text: string): Position | null {
  const match = /^(\d{1,20})\/(\d{1,20})$/.exec(text.trim());
  if (!match) return null;
  return { commit: BigInt(match[1]), prepare: BigInt(match[2]) };
}
