import type { Server } from 'node:http';
import { Pool } from 'pg';
import {
  CommandExecutor,
  createEventStore,
  PostgresSnapshotStore,
  type EventStore,
} from '@stratus/eventstore';
import {
  createLogger,
  fieldLogger,
  InvoiceIssuer,
  LinodeProvider,
  loadConfigOrExit,
  PaymentProviders,
  requireValue,
  SecretBox,
  type LogFormat,
  type LogLevel,
} from '@stratus/infra';
import {
  createProjectionsOrm,
  migrateReadModels,
  postgresBillingDirectory,
  postgresStuckDeletions,
  postgresMeteredServers,
  projectionStatuses,
  type ProjectionsOrm,
} from '@stratus/projections';
import { InvoiceReactor } from './invoices/invoice-reactor';
import { mailSettingsFrom } from './mail/mail-config';
import { MailOutboxRunner } from './mail/mail-outbox-runner';
import { MailSender } from './mail/mail-sender';
import { createWorkerMetrics, serveMetrics } from './metrics/metrics-server';
import { startProjectionWorkers, type ProjectionWorkers } from './projections/projection-workers';
import { startTemporalWorker, type TemporalWorker } from './temporal/worker';

/**
 * The workers process: read-model projection runners, their Prometheus metrics, the mail outbox and its sender, and
 * the Temporal worker (provisioning, billing, reconciliation and payment workflows).
 */
async function main(): Promise<void> {
  const config = loadConfigOrExit('workers');
  const logger = fieldLogger(
    createLogger({
      service: 'workers',
      level: (config.LOG_LEVEL ?? 'info') as LogLevel,
      format: (config.LOG_FORMAT ?? 'json') as LogFormat,
    }),
  );
  const databaseUrl = requireValue(config, 'DATABASE_URL');
  const batchSize = Number(config.PROJECTION_BATCH_SIZE ?? '500');

  let eventStore: EventStore | null = null;
  let orm: ProjectionsOrm | null = null;
  let workers: ProjectionWorkers | null = null;
  let invoices: InvoiceReactor | null = null;
  let mailOutbox: MailOutboxRunner | null = null;
  let mailSender: MailSender | null = null;
  let server: Server | null = null;
  let temporal: TemporalWorker | null = null;
  let temporalRetry: NodeJS.Timeout | null = null;
  let snapshotPool: Pool | null = null;
  let directoryPool: Pool | null = null;
  let stopping: Promise<void> | null = null;

  const shutdown = (signal: string) => {
    if (stopping) {
      logger.warn(`workers: ${signal} again, exiting without waiting`);
      process.exit(1);
    }
    logger.info(`workers: ${signal} received, finishing current batches`);
    stopping = (async () => {
      if (temporalRetry) clearTimeout(temporalRetry);
      await Promise.all([
        temporal?.shutdown(),
        workers?.stop(),
        invoices?.stop(),
        mailOutbox?.stop(),
        mailSender?.stop(),
      ]);
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
      await orm?.close(true);
      await eventStore?.close();
      await snapshotPool?.end();
      await directoryPool?.end();
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
  // Issues the invoice of every captured payment and the credit note of every refund (exactly once each).
  invoices = new InvoiceReactor({
    orm,
    eventStore,
    logger,
    issuer: new InvoiceIssuer({
      executor: new CommandExecutor({ eventStore }),
      pricesIncludeTax: (config.PRICES_INCLUDE_TAX ?? 'true') === 'true',
    }),
  });
  invoices.start();
  logger.info('workers: started', {
    projections: workers.runners.map((r) => r.name),
    batchSize,
    metricsPort: port,
  });

  const mail = mailSettingsFrom(config);
  const knex = orm.em.getConnection().getKnex();
  const secretBox = new SecretBox(requireValue(config, 'SECRETS_ENCRYPTION_KEY'));
  mailOutbox = new MailOutboxRunner({
    knex,
    eventStore,
    lowBalanceHours: mail.lowBalanceHours,
    suspendGraceSeconds: mail.suspendGraceSeconds,
    logger,
  });
  mailOutbox.start();
  if (mail.smtpUrl) {
    mailSender = new MailSender({
      knex,
      smtpUrl: mail.smtpUrl,
      from: mail.from,
      brand: mail.brand,
      secretBox,
      logger,
    });
    mailSender.start();
  } else logger.warn('workers: SMTP_URL is not set; mails wait in the outbox unsent');

  // The Temporal worker runs beside the projections; an unreachable Temporal is retried, not fatal to them.
  const temporalAddress = requireValue(config, 'TEMPORAL_ADDRESS');
  const provider = new LinodeProvider({
    baseUrl: requireValue(config, 'LINODE_API_URL'),
    token: requireValue(config, 'LINODE_TOKEN'),
  });
  snapshotPool =
    config.EVENT_STORE === 'eventstoredb' ? null : new Pool({ connectionString: databaseUrl, max: 2 });
  snapshotPool?.on('error', (error) => logger.warn('workers: snapshot pool error', { error: String(error) }));
  // The read models (same database): which organizations and servers a billing reconciliation reads.
  directoryPool = new Pool({ connectionString: databaseUrl, max: 2 });
  directoryPool.on('error', (error) =>
    logger.warn('workers: directory pool error', { error: String(error) }),
  );
  // The payment workflow asks PayPal and Stripe with the API's own clients (no webhook secrets needed here).
  const paymentProviders = new PaymentProviders({
    paypal: {
      apiUrl: requireValue(config, 'PAYPAL_API_URL'),
      clientId: requireValue(config, 'PAYPAL_CLIENT_ID'),
      clientSecret: requireValue(config, 'PAYPAL_CLIENT_SECRET'),
    },
    stripe: {
      apiUrl: requireValue(config, 'STRIPE_API_URL'),
      secretKey: requireValue(config, 'STRIPE_SECRET_KEY'),
    },
  });
  const billingDirectory = postgresBillingDirectory((text, values) => directoryPool!.query(text, values));
  const stuckDeletions = postgresStuckDeletions((text, values) => directoryPool!.query(text, values));
  const meteredServers = postgresMeteredServers((text, values) => directoryPool!.query(text, values));
  const startTemporal = async (attempt: number): Promise<void> => {
    temporalRetry = null;
    if (stopping) return;
    try {
      const started = await startTemporalWorker({
        address: temporalAddress,
        namespace: config.TEMPORAL_NAMESPACE ?? 'default',
        eventStore: readyStore,
        snapshots: snapshotPool ? new PostgresSnapshotStore(snapshotPool) : null,
        provider,
        secretBox,
        billingDirectory,
        stuckDeletions,
        meteredServers,
        paymentProviders,
        deletionResignal: {
          everySeconds: 60,
          stuckAfterSeconds: Number(requireValue(config, 'DELETION_RESIGNAL_AFTER_SECONDS')),
        },
        transfer: { measureEverySeconds: Number(requireValue(config, 'TRANSFER_MEASURE_EVERY_SECONDS')) },
        log: logger,
      });
      if (stopping) return void (await started.shutdown());
      temporal = started;
      logger.info('workers: temporal worker started', { address: temporalAddress });
      started.running.catch((error: unknown) => {
        logger.error('workers: temporal worker crashed', { error: String(error) });
        if (!stopping) shutdown('temporal worker crash');
      });
    } catch (error) {
      const delayMs = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
      logger.warn('workers: temporal not reachable, retrying', {
        address: temporalAddress,
        delayMs,
        error: String(error),
      });
      temporalRetry = setTimeout(() => void startTemporal(attempt + 1), delayMs);
    }
  };
  await startTemporal(0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `stratus workers: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
