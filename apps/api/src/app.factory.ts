import { nulCharacterMiddleware } from './shared/http/nul-character.middleware';
import { NestFactory } from '@nestjs/core';
import helmet from 'helmet';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { createEventStore, PostgresSnapshotStore } from '@stratus/eventstore';
import type { Logger } from '@stratus/infra';
import { Logger as NestPinoLogger } from 'nestjs-pino';
import { createProjectionsOrm, migrateReadModels } from '@stratus/projections';
import type { NextFunction, Request, Response } from 'express';
import { Pool } from 'pg';
import { AppModule } from './app.module';
import { AdminSeed } from './modules/auth/admin-seed.service';
import { MetricsService } from './modules/health/metrics/metrics.service';
import type { ApiConfig } from './shared/config/api-config';
import type { ApiResources } from './shared/core.module';
import { documentGlobalBehaviour } from './shared/http/openapi-conventions';
import { ApiExceptionFilter, mapError } from './shared/errors/api-exception.filter';
import { createValidationPipe } from './shared/errors/validation';
import { createApiLogger, type ApiLogLevel } from './shared/logging/api-logger';
import { requestIdMiddleware } from './shared/request-context/request-id.middleware';

export const API_PREFIX = 'api';
export const JSON_BODY_LIMIT = '100kb';

/**
 * Opens the event store and the read-model database and migrates both (each migration is idempotent
 * and advisory-locked, so several API and worker processes may start at once).
 */
export async function openApiResources(
  config: ApiConfig,
  parentLogger: Logger = createApiLogger(config),
): Promise<ApiResources> {
  const logger = parentLogger.child({ context: 'Resources' });
  const eventStore = await createEventStore({
    kind: config.eventStore.kind,
    databaseUrl: config.databaseUrl,
    connectionString: config.eventStore.connectionString,
    migrate: true,
    onError: (error) => logger.warn({ error: String(error) }, 'event store connection error'),
  });
  let orm;
  try {
    orm = await createProjectionsOrm(config.databaseUrl, {
      poolMax: 10,
      overrides: { logger: () => undefined },
    });
    const applied = await migrateReadModels(orm);
    if (applied.length > 0) logger.info({ migrations: applied }, 'read-model migrations applied');
  } catch (error) {
    await eventStore.close().catch(() => undefined);
    await orm?.close(true).catch(() => undefined);
    throw error;
  }
  // Snapshots live next to the PostgreSQL event store; with EventStoreDB wallets fold from the start.
  const snapshotPool =
    config.eventStore.kind === 'postgres' ? new Pool({ connectionString: config.databaseUrl, max: 2 }) : null;
  snapshotPool?.on('error', (error) => logger.warn({ error: error.message }, 'snapshot pool error'));
  return {
    config,
    eventStore,
    orm,
    snapshotStore: snapshotPool ? new PostgresSnapshotStore(snapshotPool) : null,
    close: async () => {
      await snapshotPool?.end();
    },
  };
}

/** The routes under /api, except the Prometheus scrape endpoint. */
function applyGlobalPrefix(app: NestExpressApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
}

export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const document = new DocumentBuilder()
    .setTitle('Stratus API')
    .setDescription(
      'Control plane for VPS hosting. Errors are `{ error, message, details }`. Commands answer with a `position`; ' +
        'send it back as `X-Min-Position` on queries to read your own writes.',
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    // Paths carry the /api prefix: they are relative to the origin that serves this document.
    .addServer('/', 'The server this document is served from')
    .build();
  return documentGlobalBehaviour(SwaggerModule.createDocument(app, document));
}

/**
 * The document `/api/openapi.json` serves, built without a database or Temporal: Nest's preview mode reads
 * the modules' metadata and instantiates no provider, so the resources are never touched (only the config's
 * nodeEnv is read, to leave the Temporal client out). For the OpenAPI lint and the portal's generated types.
 */
export async function buildOfflineOpenApiDocument(): Promise<OpenAPIObject> {
  const resources = { config: { nodeEnv: 'test' } } as ApiResources;
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(resources, createApiLogger(resources.config, false)),
    {
      preview: true,
      logger: false,
      abortOnError: false,
    },
  );
  try {
    applyGlobalPrefix(app);
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

export interface CreateApiAppOptions {
  /** What is logged (default: the config's LOG_LEVEL); tests pass ['error'] or false. */
  logger?: ApiLogLevel;
  /** Use these connections instead of opening new ones. */
  resources?: ApiResources;
  /** Overrides merged into the resources (clock, retry policy, login throttle...). */
  overrides?: Partial<Omit<ApiResources, 'config' | 'eventStore' | 'orm' | 'snapshotStore'>>;
  /** Run the admin seed at start-up (default true). */
  seedAdmin?: boolean;
}

/** The whole HTTP API, initialised but not listening. */
export async function createApiApp(
  config: ApiConfig,
  options: CreateApiAppOptions = {},
): Promise<NestExpressApplication> {
  const logger = createApiLogger(config, options.logger);
  const resources = {
    ...(options.resources ?? (await openApiResources(config, logger))),
    ...options.overrides,
  };
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(resources, logger), {
    bodyParser: false,
    // The JSON parser keeps the bytes as req.rawBody: Stripe signs the raw body, not its parsed form.
    rawBody: true,
    // Held until the pino logger is in place, so even start-up entries are JSON lines.
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(NestPinoLogger));
  // One ws adapter on the HTTP server; each gateway is reached by its own `path` (console, live updates).
  app.useWebSocketAdapter(new WsAdapter(app));
  app.set('trust proxy', config.http.trustProxy);
  app.disable('x-powered-by');
  // helmet's defaults (CSP, HSTS, nosniff, frame options...); the API serves JSON, plus the Swagger UI whose
  // scripts are files and whose inline styles the default CSP allows.
  app.use(helmet());
  app.use(requestIdMiddleware);

  const metrics = app.get(MetricsService);
  app.use((req: Request, res: Response, next: NextFunction) => {
    const end = metrics.httpDuration.startTimer();
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? 'unmatched';
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      end({ method: req.method, route });
    });
    next();
  });
  // JSON only, strict (objects and arrays), small: anything else is a 4xx from the one exception filter.
  app.useBodyParser('json', { limit: JSON_BODY_LIMIT, strict: true });
  // Body-parser failures answered here, before Nest turns them into a generic 400.
  app.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    const mapped = mapError(error);
    if (mapped.unexpected || res.headersSent) return next(error);
    for (const [name, value] of Object.entries(mapped.headers)) res.setHeader(name, value);
    res.status(mapped.status).json(mapped.body);
  });
  app.use(nulCharacterMiddleware);

  applyGlobalPrefix(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());

  const document = buildOpenApiDocument(app);
  // The document stays public (the portal's types and clients read it); only the browsable UI is optional.
  SwaggerModule.setup(`${API_PREFIX}/docs`, app, document, {
    ui: config.docsUi !== false,
    jsonDocumentUrl: `${API_PREFIX}/openapi.json`,
    yamlDocumentUrl: `${API_PREFIX}/openapi.yaml`,
  });

  await app.init();
  if (options.seedAdmin !== false) await app.get(AdminSeed).run();
  return app;
}
