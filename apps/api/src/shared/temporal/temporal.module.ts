import { DynamicModule, Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { CONFIG_SCHEMA, type VariableSpec } from '@stratus/infra';
import type { ApiConfig } from '../config/api-config';
import { TemporalWorkflows } from './temporal-workflows.service';
import { TEMPORAL_CLIENT, TEMPORAL_SETTINGS, type TemporalSettings } from './temporal.tokens';

declare module '../config/api-config' {
  interface ApiConfig {
    /**
     * Temporal frontend and namespace; `null` = not configured (no client, health does not probe it).
     * When absent: the schema's defaults, except under NODE_ENV=test, where tests opt in (e.g. with createTemporalTestEnvironment()).
     */
    temporal?: TemporalSettings | null;
  }
}

/** The settings the API uses for Temporal; see ApiConfig.temporal (apiConfigFrom fills it from the environment). */
export function resolveTemporalSettings(config: ApiConfig): TemporalSettings | null {
  if (config.temporal !== undefined) return config.temporal;
  if (config.nodeEnv === 'test') return null;
  return {
    address: (CONFIG_SCHEMA.TEMPORAL_ADDRESS as VariableSpec).default ?? 'localhost:7233',
    namespace: (CONFIG_SCHEMA.TEMPORAL_NAMESPACE as VariableSpec).default ?? 'default',
  };
}

class TemporalConnectionCloser implements OnApplicationShutdown {
  private readonly logger = new Logger('Temporal');
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client?.connection
      .close()
      .catch((error: unknown) => this.logger.warn(`closing the Temporal connection: ${String(error)}`));
  }
}

/**
 * One Temporal client for the whole API, and TemporalWorkflows, the one service that calls it. The connection is lazy so the API starts (and answers /api/health
 * with temporal 'down') while Temporal is unreachable; gRPC reconnects on its own once it is back.
 */
@Global()
@Module({})
export class TemporalModule {
  static forRoot(settings: TemporalSettings | null): DynamicModule {
    return {
      module: TemporalModule,
      providers: [
        { provide: TEMPORAL_SETTINGS, useValue: settings },
        {
          provide: TEMPORAL_CLIENT,
          useFactory: () =>
            settings
              ? new Client({
                  // No gRPC retry interceptor: an HTTP request should fail fast (503, retried by the caller with
                  // its Idempotency-Key) rather than retry in the background past its own lifetime and shutdown.
                  connection: Connection.lazy({ address: settings.address, interceptors: [] }),
                  namespace: settings.namespace,
                })
              : null,
        },
        TemporalConnectionCloser,
        TemporalWorkflows,
      ],
      exports: [TEMPORAL_SETTINGS, TEMPORAL_CLIENT, TemporalWorkflows],
    };
  }
}
