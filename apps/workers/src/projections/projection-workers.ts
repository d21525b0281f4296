import type { EventStore } from '@stratus/eventstore';
import {
  PROJECTIONS,
  ProjectionRunner,
  type ProjectionLogger,
  type ProjectionsOrm,
} from '@stratus/projections';
import type { WorkerMetrics } from '../metrics/metrics-server';

export interface ProjectionWorkers {
  runners: ProjectionRunner[];
  /** Each runner finishes the batch it is applying, then stops. */
  stop(): Promise<void>;
}

/** One runner per projection, each on its own checkpoint and subscription. */
export function startProjectionWorkers(options: {
  orm: ProjectionsOrm;
  eventStore: EventStore;
  batchSize: number;
  logger: ProjectionLogger;
  metrics?: WorkerMetrics;
}): ProjectionWorkers {
  const runners = PROJECTIONS.map(
    (projection) =>
      new ProjectionRunner({
        orm: options.orm,
        eventStore: options.eventStore,
        projection,
        batchSize: options.batchSize,
        logger: options.logger,
        onBatch: (batch) => options.metrics?.eventsTotal.inc({ projection: batch.projection }, batch.events),
      }),
  );
  for (const runner of runners) runner.start();
  return {
    runners,
    stop: async () => {
      await Promise.all(runners.map((runner) => runner.stop()));
    },
  };
}
