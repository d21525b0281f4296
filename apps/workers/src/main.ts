import type { Server } from 'node:http';
import { createEventStore, type EventStore } from '@stratus/eventstore';
import { loadConfigOrExit, requireValue } from '@stratus/infra';
import {
  createProjectionsOrm,
  migrateReadModels,
  projectionStatuses,
  type ProjectionsOrm,
} from '@stratus/projections';
import { createWorkerMetrics, serveMetrics } from './metrics/metrics-server';
import { startProjectionWorkers, type ProjectionWorkers } from './projections/projection-workers';
import { createLogger, type LogLevel } from './shared/logger';

/** The workers process: read-model projection runners and their Prometheus metrics. */
async function main(): Promise<void> {
  const config = loadConfigOrExit('workers');
  const logger = createLogger((config.LOG_LEVEL ?? 'info') as LogLevel);
  const databaseUrl = requireValue(config, 'DATABASE_URL');
  const batchSize = Number(config.PROJECTION_BATCH_SIZE ?? '500');

  let eventStore: EventStore | null = null;
  let orm: ProjectionsOrm | null = null;
  let workers: ProjectionWorkers | null = null;
  let server: Server | null = null;
  let stopping: Promise<void> | null = null;

  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn(`workers: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    logger.info(`workers: ${signal} received, finishing current batches`);
    stopping = (async () => {
      await workers?.stop();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await orm?.close(true);
      await eventStore?.close();
      logger.info('workers: stopped');
    })();
    stopping.then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('workers: shutdown failed', { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  eventStore = await createEventStore({
    kind: config.EVENT_STORE === 'eventstoredb' ? 'eventstoredb' : 'postgres',
    databaseUrl,
    connectionString: config.EVENTSTORE_CONNECTION_STRING,
    onError: (error) => logger.warn('workers: event store background error', { error: String(error) }),
  });
  orm = await createProjectionsOrm(databaseUrl);
  const applied = await migrateReadModels(orm);
  if (applied.length > 0) logger.info('workers: read-model migrations applied', { migrations: applied });
  if (stopping) return;

  const readyOrm = orm;
  const readyStore = eventStore;
  const metrics = createWorkerMetrics(() => projectionStatuses(readyOrm, readyStore));
  const port = Number(config.WORKERS_METRICS_PORT ?? '9464');
  server = await serveMetrics(metrics.registry, port, (error) =>
    logger.warn('workers: metrics collection failed', { error: String(error) }),
  );
  workers = startProjectionWorkers({ orm, eventStore, batchSize, logger, metrics });
  logger.info('workers: started', {
    projections: workers.runners.map((r) => r.name),
    batchSize,
    metricsPort: port,
  });
}

main().catch((error: unknown) => {
  process.stderr.write(
    `stratus workers: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
