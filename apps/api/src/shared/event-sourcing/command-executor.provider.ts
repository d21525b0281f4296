import { Logger, type Provider } from '@nestjs/common';
import type { RetryPolicy } from '@stratus/domain';
import { CommandExecutor, type EventStore, type SnapshotStorePort } from '@stratus/eventstore';
import { CLOCK, EVENT_STORE, SNAPSHOT_STORE, type Clock } from './tokens';

/**
 * The API's CommandExecutor (libs/eventstore): handlers inject `CommandExecutor`. One instance per API
 * process, so commands on one stream queue in its KeyedMutex instead of racing each other.
 */
export function commandExecutorProvider(retry?: RetryPolicy): Provider {
  return {
    provide: CommandExecutor,
    inject: [EVENT_STORE, SNAPSHOT_STORE, CLOCK],
    useFactory: (eventStore: EventStore, snapshots: SnapshotStorePort | null, clock: Clock) => {
      const logger = new Logger('CommandExecutor');
      return new CommandExecutor({
        eventStore,
        snapshots,
        clock: () => clock.now(),
        retry,
        onSnapshotError: (streamId, error) =>
          logger.warn(
            `snapshot of ${streamId} not loaded or saved (the stream is folded instead): ${String(error)}`,
          ),
      });
    },
  };
}
