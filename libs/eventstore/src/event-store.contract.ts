/**
 * The one contract suite both adapters must pass. Each adapter's `*.int.spec.ts` calls
 * `eventStoreContract` with a harness on a real backing store. Capabilities an adapter cannot offer
 * (holding a commit open, killing a subscription's connection) only gate the tests that need them.
 */
import { randomUUID } from 'node:crypto';
import {
  DuplicateEventIdError,
  WrongExpectedRevisionError,
  comparePositions,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type RecordedEvent,
  type Subscription,
} from './event-store.port';
import { UpcasterRegistry } from './upcaster-registry';

export interface ContractStoreOptions {
  upcasters?: UpcasterRegistry;
  /** Fallback poll interval for subscriptions, where the adapter polls. */
  pollIntervalMs?: number;
  /** The store's appends can be held before commit with `holdCommit` (capability holdCommits). */
  holdable?: boolean;
}

export interface CommitHold {
  /** Resolves when an append to the held stream has written its events and waits before COMMIT. */
  reached: Promise<void>;
  /** Lets the held append commit, or abort (its append then rejects). */
  release(outcome?: 'commit' | 'abort'): void;
}

export interface EventStoreHarness {
  /** A new store on the harness's backing database; dispose() closes it. */
  openStore(options?: ContractStoreOptions): Promise<EventStore>;
  /** The next append to `streamId` through a holdable store pauses before COMMIT. */
  holdCommit?(streamId: string): CommitHold;
  /** Kills the subscription's live connection and resolves once the subscription has reconnected. */
  interruptSubscription?(subscription: Subscription): Promise<void>;
  dispose(): Promise<void>;
}

export interface EventStoreContractOptions {
  name: string;
  capabilities: {
    holdCommits: boolean;
    interruptSubscription: boolean;
    /** Ids already stored in another stream are rejected with DuplicateEventIdError. */
    detectsDuplicateIdsAcrossStreams: boolean;
  };
  createHarness(): Promise<EventStoreHarness>;
  /**
   * Why this backend cannot be reached here (e.g. no EventStoreDB server named): every contract test is then
   * reported as skipped, with the reason in the suite's name, instead of a placeholder test that passes.
   */
  unavailable?: string;
}

const TEST_TIMEOUT_MS = 60_000;
const WAIT_MS = 20_000;

const baseMetadata = {
  correlationId: '00000000-0000-4000-8000-000000000001',
  causationId: '00000000-0000-4000-8000-000000000002',
  actor: { userId: 'user-1', role: 'admin', impersonatorId: 'staff-9', ip: '203.0.113.7', userAgent: 'jest' },
  occurredAt: '2025-01-02T03:04:05.678Z',
};

function newEvent(type: string, data: unknown = {}, schemaVersion = 1): NewEvent {
  return { id: randomUUID(), type, data, metadata: { ...baseMetadata, schemaVersion } };
}

function events(count: number, type = 'ThingHappened'): NewEvent[] {
  return Array.from({ length: count }, (_, i) => newEvent(type, { i }));
}

/** Polls a condition until it holds or the deadline passes (a wait for a condition, not a sleep). */
async function waitUntil(
  condition: () => boolean,
  message: () => string,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${message()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Waits until readers of the all-stream see `position` (PostgreSQL: until no older transaction is open). */
async function waitVisible(store: EventStore, position: Position, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const head = await store.headPosition();
    if (head && comparePositions(head, position) >= 0) return;
    if (Date.now() > deadline)
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${position.commit}/${position.prepare} to be visible`,
      );
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * A checkpoint behind everything committed so far and ahead of anything appended later. headPosition()
 * alone is not one: on PostgreSQL an open transaction anywhere in the cluster (other suites run in
 * parallel) may still hold earlier commits back. A marker appended now gets a later transaction id than
 * every commit before it, so once the marker is visible, so is everything before it.
 */
async function settledCheckpoint(store: EventStore): Promise<Position> {
  const marker = await store.appendToStream(`marker-${randomUUID()}`, [newEvent('Marker')], {
    expectedRevision: 'no_stream',
  });
  await waitVisible(store, marker.position);
  return marker.position;
}

interface Consumer {
  received: RecordedEvent[];
  done: Promise<void>;
}

/** Drains a subscription in the background until it is closed. */
function consume(subscription: Subscription, batchSize = 500): Consumer {
  const received: RecordedEvent[] = [];
  const done = (async () => {
    for (;;) {
      const batch = await subscription.nextBatch(batchSize);
      if (batch.length === 0) return;
      for (const event of batch) received.push(event);
    }
  })();
  return { received, done };
}

function expectStrictlyIncreasing(list: readonly RecordedEvent[]): void {
  for (let i = 1; i < list.length; i++) {
    if (comparePositions(list[i - 1].position, list[i].position) >= 0) {
      throw new Error(
        `positions not strictly increasing at ${i}: ${list[i - 1].position.commit}/${list[i - 1].position.prepare} then ${list[i].position.commit}/${list[i].position.prepare}`,
      );
    }
  }
}

async function expectRejection<E extends Error>(
  promise: Promise<unknown>,
  type: new (...args: never[]) => E,
): Promise<E> {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  expect(outcome.ok).toBe(false);
  const error = (outcome as { error: unknown }).error;
  expect(error).toBeInstanceOf(type);
  return error as E;
}

/** Small deterministic PRNG so a failing interleaving of the load test can be reasoned about. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function eventStoreContract(options: EventStoreContractOptions): void {
  const { capabilities } = options;

  // Selected, not written as `describe.skip(...)`: skipping depends on the environment, never on the test.
  const suite = options.unavailable ? describe.skip : describe;
  // Jest lists no test names of a file whose tests are all skipped: say why once.
  if (options.unavailable) console.warn(`${options.name} contract suite skipped: ${options.unavailable}`);
  const title = options.unavailable
    ? `${options.name} (event store contract) skipped: ${options.unavailable}`
    : `${options.name} (event store contract)`;
  suite(title, () => {
    let harness: EventStoreHarness;
    let store: EventStore;
    const stream = (name: string): string => `${name}-${randomUUID()}`;
    const ours = (prefix: string) => (event: RecordedEvent) => event.streamId.startsWith(prefix);

    beforeAll(async () => {
      harness = await options.createHarness();
      store = await harness.openStore();
    }, TEST_TIMEOUT_MS);

    afterAll(async () => {
      await harness?.dispose();
    }, TEST_TIMEOUT_MS);

    describe('append and read', () => {
      it('appends a batch to a new stream and reads the whole envelope back in order', async () => {
        const streamId = stream('basics');
        const batch = [
          newEvent('Opened', { n: 1 }),
          newEvent('Renamed', { name: 'x', nested: { list: [1, 2] } }),
          newEvent('Closed'),
        ];
        const result = await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2n);

        const read = await store.readStream(streamId);
        expect(read.map((e) => ({ id: e.id, type: e.type, data: e.data, metadata: e.metadata }))).toEqual(
          batch,
        );
        expect(read.map((e) => e.revision)).toEqual([0n, 1n, 2n]);
        expect(read.every((e) => e.streamId === streamId)).toBe(true);
        expectStrictlyIncreasing(read);
        expect(read[2].position).toEqual(result.position);
      });

      it('reads a stream from a revision with a max count, and a missing stream as []', async () => {
        const streamId = stream('slice');
        const batch = events(6);
        await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
        const slice = await store.readStream(streamId, { fromRevision: 2n, maxCount: 3 });
        expect(slice.map((e) => e.id)).toEqual(batch.slice(2, 5).map((e) => e.id));
        expect(slice.map((e) => e.revision)).toEqual([2n, 3n, 4n]);
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('honours every expected-revision mode', async () => {
        const streamId = stream('modes');
        expect(
          (await store.appendToStream(streamId, events(1), { expectedRevision: 'no_stream' }))
            .nextExpectedRevision,
        ).toBe(0n);

        const noStream = await expectRejection(
          store.appendToStream(streamId, events(1), { expectedRevision: 'no_stream' }),
          WrongExpectedRevisionError,
        );
        expect(noStream.actual).toBe(0n);
        expect(noStream.streamId).toBe(streamId);

        expect(
          (await store.appendToStream(streamId, events(2), { expectedRevision: 0n })).nextExpectedRevision,
        ).toBe(2n);
        const stale = await expectRejection(
          store.appendToStream(streamId, events(1), { expectedRevision: 0n }),
          WrongExpectedRevisionError,
        );
        expect(stale.expected).toBe(0n);
        expect(stale.actual).toBe(2n);

        expect(
          (await store.appendToStream(streamId, events(1), { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(3n);
        expect(
          (await store.appendToStream(stream('any-new'), events(2), { expectedRevision: 'any' }))
            .nextExpectedRevision,
        ).toBe(1n);

        const missing = await expectRejection(
          store.appendToStream(stream('missing'), events(1), { expectedRevision: 4n }),
          WrongExpectedRevisionError,
        );
        expect(missing.actual).toBe('no_stream');

        expect((await store.readStream(streamId)).map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
      });

      it('pages the all-stream forwards in global order', async () => {
        const start = await settledCheckpoint(store);
        const a = stream('page-a');
        const b = stream('page-b');
        const appended = [...events(3), ...events(2), ...events(2)];
        await store.appendToStream(a, appended.slice(0, 3), { expectedRevision: 'no_stream' });
        await store.appendToStream(b, appended.slice(3, 5), { expectedRevision: 'no_stream' });
        const last = await store.appendToStream(a, appended.slice(5), { expectedRevision: 2n });
        await waitVisible(store, last.position);

        const pages = [];
        let after: Position | null = start;
        for (;;) {
          const page = await store.readAll({ after, maxCount: 3 });
          pages.push(page);
          if (!page.isFull) break;
          after = page.lastPosition;
        }
        expect(pages.map((p) => p.events.length)).toEqual([3, 3, 1]);
        const all = pages.flatMap((p) => p.events);
        expect(all.map((e) => e.id)).toEqual(appended.map((e) => e.id));
        expectStrictlyIncreasing(all);
        expect(pages[2].lastPosition).toEqual(all[6].position);

        const empty = await store.readAll({ after: all[6].position, maxCount: 3 });
        expect(empty).toEqual({ events: [], lastPosition: all[6].position, isFull: false });
      });

      it('reports head position, counts events after a position, and answers ping', async () => {
        const before = await settledCheckpoint(store);
        const result = await store.appendToStream(stream('head'), events(3), {
          expectedRevision: 'no_stream',
        });
        await waitVisible(store, result.position);
        expect(await store.headPosition()).toEqual(result.position);
        expect(await store.countAfter(before, 100)).toBe(3);
        expect(await store.countAfter(before, 2)).toBe(2);
        expect(await store.countAfter(result.position, 100)).toBe(0);
        await expect(store.ping()).resolves.toBeUndefined();
      });
    });

    describe('optimistic concurrency', () => {
      it('lets exactly one of several concurrent appends at the same expected revision win', async () => {
        const streamId = stream('race-exact');
        await store.appendToStream(streamId, events(1), { expectedRevision: 'no_stream' });
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () =>
            store.appendToStream(streamId, events(2), { expectedRevision: 0n }),
          ),
        );
        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(7);
        for (const o of lost) {
          expect(o.reason).toBeInstanceOf(WrongExpectedRevisionError);
          expect((o.reason as WrongExpectedRevisionError).actual).toBe(2n);
        }
        expect(await store.readStream(streamId)).toHaveLength(3);
      });

      it('lets exactly one of several concurrent no_stream appends create the stream', async () => {
        const streamId = stream('race-new');
        const outcomes = await Promise.allSettled(
          Array.from({ length: 8 }, () =>
            store.appendToStream(streamId, events(1), { expectedRevision: 'no_stream' }),
          ),
        );
        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(lost).toHaveLength(7);
        for (const o of lost) expect(o.reason).toBeInstanceOf(WrongExpectedRevisionError);
        expect(await store.readStream(streamId)).toHaveLength(1);
      });
    });

    describe('idempotent append by event id', () => {
      it('acknowledges a retried batch with the original result and stores it once', async () => {
        const streamId = stream('retry');
        await store.appendToStream(streamId, events(1), { expectedRevision: 'no_stream' });
        const batch = events(2);
        const first = await store.appendToStream(streamId, batch, { expectedRevision: 0n });
        const retryExact = await store.appendToStream(streamId, batch, { expectedRevision: 0n });
        const retryAny = await store.appendToStream(streamId, batch, { expectedRevision: 'any' });
        expect(retryExact).toEqual(first);
        expect(retryAny).toEqual(first);
        const read = await store.readStream(streamId);
        expect(read.map((e) => e.id)).toEqual([read[0].id, ...batch.map((e) => e.id)]);
      });

      it('stores a batch once when the same append races itself', async () => {
        for (const expectedRevision of ['no_stream', 'any'] as const) {
          const streamId = stream(`retry-race-${expectedRevision}`);
          const batch = events(3);
          const results = await Promise.all(
            Array.from({ length: 4 }, () => store.appendToStream(streamId, batch, { expectedRevision })),
          );
          for (const r of results) expect(r).toEqual(results[0]);
          expect((await store.readStream(streamId)).map((e) => e.id)).toEqual(batch.map((e) => e.id));
        }
      });

      it('finds an event by its id anywhere in its stream, and only in its stream', async () => {
        const streamId = stream('find');
        const first = events(1);
        let revision = (await store.appendToStream(streamId, first, { expectedRevision: 'no_stream' }))
          .nextExpectedRevision;
        // A long history after it (past any snapshot a command executor would load from).
        for (let i = 0; i < 4; i++) {
          revision = (await store.appendToStream(streamId, events(50), { expectedRevision: revision }))
            .nextExpectedRevision;
        }
        const found = await store.findEvent(streamId, first[0].id.toUpperCase());
        expect(found).toMatchObject({ id: first[0].id, type: first[0].type, streamId, revision: 0n });
        expect(found?.data).toEqual(first[0].data);
        expect(await store.findEvent(stream('find-other'), first[0].id)).toBeNull();
        expect(await store.findEvent(streamId, randomUUID())).toBeNull();
        expect(await store.findEvent(streamId, 'not-a-uuid')).toBeNull();
      });

      it('does not find an event whose append lost its race, and finds it once a retry stores it', async () => {
        const streamId = stream('find-race');
        await store.appendToStream(streamId, events(2), { expectedRevision: 'no_stream' });
        const late = events(1, 'WalletCharged');
        await expectRejection(
          store.appendToStream(streamId, late, { expectedRevision: 0n }),
          WrongExpectedRevisionError,
        );
        expect(await store.findEvent(streamId, late[0].id)).toBeNull();
        await store.appendToStream(streamId, events(3), { expectedRevision: 1n });
        const stored = await store.appendToStream(streamId, late, { expectedRevision: 4n });
        expect(await store.findEvent(streamId, late[0].id)).toMatchObject({
          id: late[0].id,
          revision: stored.nextExpectedRevision,
        });
        // The same id appended again later in the stream is acknowledged or refused, never stored twice.
        await store
          .appendToStream(streamId, late, { expectedRevision: 'any' })
          .catch((error: unknown) => expect(error).toBeInstanceOf(DuplicateEventIdError));
        const read = await store.readStream(streamId);
        expect(read.filter((e) => e.id === late[0].id)).toHaveLength(1);
      });

      if (capabilities.detectsDuplicateIdsAcrossStreams) {
        it('rejects ids already stored elsewhere with DuplicateEventIdError', async () => {
          const first = stream('dup-a');
          const batch = events(2);
          await store.appendToStream(first, batch, { expectedRevision: 'no_stream' });
          const other = await expectRejection(
            store.appendToStream(stream('dup-b'), batch, { expectedRevision: 'any' }),
            DuplicateEventIdError,
          );
          expect(batch.map((e) => e.id)).toContain(other.eventId);
          // Same stream but a different batch shape: one stored id plus a new one.
          await expectRejection(
            store.appendToStream(first, [batch[1], newEvent('New')], { expectedRevision: 'any' }),
            DuplicateEventIdError,
          );
          expect(await store.readStream(first)).toHaveLength(2);
        });
      }
    });

    describe('upcasting', () => {
      it('reads old event versions as the current shape on every read path', async () => {
        const upcasters = new UpcasterRegistry()
          .register('NameSet', 1, (data: { name: string }) => ({ fullName: data.name }))
          .register('NameSet', 2, (data: { fullName: string }) => ({ ...data, locale: 'en' }));
        const upcasting = await harness.openStore({ upcasters });
        const start = await settledCheckpoint(store);
        const streamId = stream('upcast');
        const v1 = newEvent('NameSet', { name: 'Ada' }, 1);
        const v3 = newEvent('NameSet', { fullName: 'Grace', locale: 'fr' }, 3);
        await waitVisible(
          store,
          (await store.appendToStream(streamId, [v1, v3], { expectedRevision: 'no_stream' })).position,
        );

        const expected = [
          { data: { fullName: 'Ada', locale: 'en' }, schemaVersion: 3 },
          { data: { fullName: 'Grace', locale: 'fr' }, schemaVersion: 3 },
        ];
        const shape = (list: RecordedEvent[]) =>
          list.map((e) => ({ data: e.data, schemaVersion: e.metadata.schemaVersion }));
        expect(shape(await upcasting.readStream(streamId))).toEqual(expected);
        expect(
          shape((await upcasting.readAll({ after: start, maxCount: 10 })).events.filter(ours(streamId))),
        ).toEqual(expected);

        const subscription = upcasting.subscribeToAll({ after: start });
        const consumer = consume(subscription);
        await waitUntil(
          () => consumer.received.filter(ours(streamId)).length >= 2,
          () => 'upcast events on the subscription',
        );
        expect(shape(consumer.received.filter(ours(streamId)))).toEqual(expected);
        await subscription.close();
        await consumer.done;
        // The stored event is untouched: a store without upcasters still reads version 1.
        expect((await store.readStream(streamId))[0].data).toEqual({ name: 'Ada' });
      });
    });

    describe('subscribeToAll', () => {
      it(
        'delivers every event of 8 concurrent appenders exactly once, in global order',
        async () => {
          const start = await settledCheckpoint(store);
          const prefix = `load-${randomUUID()}`;
          const streams = Array.from({ length: 12 }, (_, i) => `${prefix}-${i}`);
          const subscription = store.subscribeToAll({ after: start });
          const consumer = consume(subscription);
          const committed: string[] = [];
          let conflicts = 0;

          const appender = async (index: number): Promise<void> => {
            const random = prng(index + 1);
            const useExact = index % 2 === 1;
            const known = new Map<string, ExpectedRevision>();
            let written = 0;
            while (written < 1000) {
              const streamId = streams[Math.floor(random() * streams.length)];
              const batch = events(Math.min(1 + Math.floor(random() * 5), 1000 - written), `Load${index}`);
              for (;;) {
                const expectedRevision: ExpectedRevision = useExact
                  ? (known.get(streamId) ?? 'no_stream')
                  : 'any';
                try {
                  const result: AppendResult = await store.appendToStream(streamId, batch, {
                    expectedRevision,
                  });
                  known.set(streamId, result.nextExpectedRevision);
                  break;
                } catch (error) {
                  if (!(error instanceof WrongExpectedRevisionError)) throw error;
                  conflicts++;
                  known.set(streamId, error.actual);
                }
              }
              for (const e of batch) committed.push(e.id);
              written += batch.length;
            }
          };
          await Promise.all(Array.from({ length: 8 }, (_, i) => appender(i)));
          expect(committed).toHaveLength(8000);

          const mine = () => consumer.received.filter(ours(prefix));
          await waitUntil(
            () => mine().length >= 8000,
            () => `8000 events, have ${mine().length}`,
          );
          await subscription.close();
          await consumer.done;

          const delivered = mine();
          expect(delivered).toHaveLength(8000);
          expect(new Set(delivered.map((e) => e.id)).size).toBe(8000);
          expect(new Set(delivered.map((e) => e.id))).toEqual(new Set(committed));
          expectStrictlyIncreasing(consumer.received);

          // Each stream is gap-free, and readAll gives the very same order as the subscription.
          let total = 0;
          for (const streamId of streams) {
            const read = await store.readStream(streamId);
            expect(read.map((e) => e.revision)).toEqual(read.map((_, i) => BigInt(i)));
            total += read.length;
          }
          expect(total).toBe(8000);
          const paged: RecordedEvent[] = [];
          let after = start;
          for (;;) {
            const page = await store.readAll({ after, maxCount: 1000 });
            paged.push(...page.events);
            if (!page.isFull || !page.lastPosition) break;
            after = page.lastPosition;
          }
          expect(paged.filter(ours(prefix)).map((e) => e.id)).toEqual(delivered.map((e) => e.id));
          // Exact-revision appenders on shared streams must have met conflicts and retried.
          expect(conflicts).toBeGreaterThan(0);
        },
        TEST_TIMEOUT_MS,
      );

      if (capabilities.holdCommits) {
        it('delivers events of transactions that commit out of order exactly once, in position order', async () => {
          const holdable = await harness.openStore({ holdable: true });
          const start = await settledCheckpoint(store);
          const subscription = store.subscribeToAll({ after: start });
          const consumer = consume(subscription);
          const a = stream('held-a');
          const b = stream('held-b');
          const batchA = events(2, 'A');
          const batchB = events(2, 'B');

          const hold = harness.holdCommit!(a);
          const appendA = holdable.appendToStream(a, batchA, { expectedRevision: 'no_stream' });
          await hold.reached;
          const resultB = await holdable.appendToStream(b, batchB, { expectedRevision: 'no_stream' });
          // B has committed, but A (older) is still open: nobody may read past A's place yet.
          expect((await store.readAll({ after: start, maxCount: 100 })).events).toEqual([]);
          expect(await store.countAfter(start, 100)).toBe(0);
          expect(consumer.received).toEqual([]);

          hold.release('commit');
          const resultA = await appendA;
          expect(comparePositions(resultA.position, resultB.position)).toBeLessThan(0);

          await waitUntil(
            () => consumer.received.length >= 4,
            () => `4 events, have ${consumer.received.length}`,
          );
          await subscription.close();
          await consumer.done;
          expect(consumer.received.map((e) => e.id)).toEqual([...batchA, ...batchB].map((e) => e.id));
          expectStrictlyIncreasing(consumer.received);
        });

        it('delivers events held back by a transaction that then aborts', async () => {
          const holdable = await harness.openStore({ holdable: true });
          const start = await settledCheckpoint(store);
          const subscription = store.subscribeToAll({ after: start });
          const consumer = consume(subscription);
          const a = stream('aborted-a');
          const batchB = events(2, 'B');

          const hold = harness.holdCommit!(a);
          const appendA = holdable.appendToStream(a, events(2, 'A'), { expectedRevision: 'no_stream' });
          await hold.reached;
          await holdable.appendToStream(stream('aborted-b'), batchB, { expectedRevision: 'no_stream' });
          hold.release('abort');
          await expect(appendA).rejects.toThrow();

          await waitUntil(
            () => consumer.received.length >= 2,
            () => `2 events, have ${consumer.received.length}`,
          );
          expect(consumer.received.map((e) => e.id)).toEqual(batchB.map((e) => e.id));
          expect(await store.readStream(a)).toEqual([]);
          await subscription.close();
          await consumer.done;
        });
      }

      it('resumes from a checkpoint with only the events after it', async () => {
        const start = await settledCheckpoint(store);
        const streamId = stream('resume');
        const batch = events(10);
        await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });

        const first = store.subscribeToAll({ after: start, batchSize: 3 });
        const seen: RecordedEvent[] = [];
        while (seen.length < 4) seen.push(...(await first.nextBatch(4 - seen.length)));
        await first.close();
        expect(await first.nextBatch(10)).toEqual([]);
        expect(seen.map((e) => e.id)).toEqual(batch.slice(0, 4).map((e) => e.id));

        const second = store.subscribeToAll({ after: seen[3].position, batchSize: 3 });
        const consumer = consume(second, 3);
        await waitUntil(
          () => consumer.received.length >= 6,
          () => `6 events, have ${consumer.received.length}`,
        );
        const live = events(2);
        await store.appendToStream(streamId, live, { expectedRevision: 9n });
        await waitUntil(
          () => consumer.received.length >= 8,
          () => `8 events, have ${consumer.received.length}`,
        );
        await second.close();
        await consumer.done;
        expect(consumer.received.map((e) => e.id)).toEqual([...batch.slice(4), ...live].map((e) => e.id));
      });

      it('ends nextBatch and async iteration cleanly on close', async () => {
        const start = await settledCheckpoint(store);
        const waiting = store.subscribeToAll({ after: start });
        const pending = waiting.nextBatch(10);
        await waiting.close();
        expect(await pending).toEqual([]);

        const iterated = store.subscribeToAll({ after: start });
        const received: RecordedEvent[] = [];
        const loop = (async () => {
          for await (const event of iterated) received.push(event);
        })();
        const streamId = stream('iterate');
        const batch = events(3);
        await store.appendToStream(streamId, batch, { expectedRevision: 'no_stream' });
        await waitUntil(
          () => received.length >= 3,
          () => `3 events, have ${received.length}`,
        );
        await iterated.close();
        await loop;
        expect(received.map((e) => e.id)).toEqual(batch.map((e) => e.id));
      });

      if (capabilities.interruptSubscription) {
        it('reconnects after its live connection is killed and still delivers everything exactly once', async () => {
          // Polling every minute: within the deadlines below only the (re)connected listener can wake it.
          const slow = await harness.openStore({ pollIntervalMs: 60_000 });
          const start = await settledCheckpoint(store);
          const subscription = slow.subscribeToAll({ after: start });
          const consumer = consume(subscription);
          const streamId = stream('reconnect');
          const batches = [events(3), events(3), events(3)];

          await harness.interruptSubscription!(subscription); // ensures it was listening, then kills it once
          await store.appendToStream(streamId, batches[0], { expectedRevision: 'no_stream' });
          await waitUntil(
            () => consumer.received.length >= 3,
            () => `3 events, have ${consumer.received.length}`,
          );

          // Appended while the connection is down: picked up when it comes back.
          await Promise.all([
            harness.interruptSubscription!(subscription),
            slow.appendToStream(streamId, batches[1], { expectedRevision: 2n }),
          ]);
          await waitUntil(
            () => consumer.received.length >= 6,
            () => `6 events, have ${consumer.received.length}`,
          );

          await slow.appendToStream(streamId, batches[2], { expectedRevision: 5n });
          await waitUntil(
            () => consumer.received.length >= 9,
            () => `9 events, have ${consumer.received.length}`,
          );
          await subscription.close();
          await consumer.done;
          expect(consumer.received.map((e) => e.id)).toEqual(batches.flat().map((e) => e.id));
          expectStrictlyIncreasing(consumer.received);
        });
      }
    });
  });
}
