import { eventStoreContract, type EventStoreHarness } from './event-store.contract';
import { EventStoreDbEventStore } from './eventstoredb-event-store';

const connectionString = process.env.EVENTSTORE_CONNECTION_STRING ?? '';

async function createEventStoreDbHarness(): Promise<EventStoreHarness> {
  const stores: EventStoreDbEventStore[] = [];
  // One server for every suite: tests isolate themselves by unique stream ids (and positions taken at start).
  return {
    async openStore(options = {}) {
      const store = new EventStoreDbEventStore({ connectionString, upcasters: options.upcasters });
      stores.push(store);
      return store;
    },
    async dispose() {
      await Promise.all(stores.map((s) => s.close()));
    },
  };
}

eventStoreContract({
  name: 'EventStoreDbEventStore',
  // No way to hold a server-side commit open or to kill one subscription's connection from a client;
  // the server's idempotency is per stream, so ids reused in another stream are not detected.
  capabilities: {
    holdCommits: false,
    interruptSubscription: false,
    detectsDuplicateIdsAcrossStreams: false,
  },
  createHarness: createEventStoreDbHarness,
  unavailable:
    connectionString === ''
      ? 'EVENTSTORE_CONNECTION_STRING is not set (e.g. EVENTSTORE_CONNECTION_STRING="esdb://localhost:2113?tls=false" npx jest libs/eventstore)'
      : undefined,
});
