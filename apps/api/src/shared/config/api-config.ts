import { requireValue, type Config } from '@stratus/infra';

export const API_CONFIG = Symbol('API_CONFIG');

/** The API's configuration, typed once from the validated environment. */
export interface ApiConfig {
  nodeEnv: string;
  databaseUrl: string;
  eventStore: { kind: 'postgres' | 'eventstoredb'; connectionString?: string };
  jwt: { secret: string; issuer: string; audience: string; ttlSeconds: number };
  http: { port: number; host: string; trustProxy: boolean };
  admin: { email?: string; password?: string };
  /** TEMPORAL_UI_URL: base of the links staff views give into the Temporal Web UI (schema default when absent). */
  temporalUiUrl?: string;
}

export function apiConfigFrom(config: Config): ApiConfig {
  return {
    nodeEnv: config.NODE_ENV ?? 'development',
    databaseUrl: requireValue(config, 'DATABASE_URL'),
    eventStore: {
      kind: (config.EVENT_STORE ?? 'postgres') as 'postgres' | 'eventstoredb',
      connectionString: config.EVENTSTORE_CONNECTION_STRING,
    },
    jwt: {
      secret: requireValue(config, 'JWT_SECRET'),
      issuer: requireValue(config, 'JWT_ISSUER'),
      audience: requireValue(config, 'JWT_AUDIENCE'),
      ttlSeconds: Number(requireValue(config, 'JWT_TTL_SECONDS')),
    },
    http: {
      port: Number(requireValue(config, 'API_PORT')),
      host: requireValue(config, 'API_HOST'),
      trustProxy: config.TRUST_PROXY === 'true',
    },
    admin: { email: config.ADMIN_EMAIL, password: config.ADMIN_PASSWORD },
    ...(config.TEMPORAL_UI_URL ? { temporalUiUrl: config.TEMPORAL_UI_URL } : {}),
  };
}
