import { parseMoney } from '@stratus/domain';
import { durationSeconds, requireValue, type Config, type LogFormat, type LogLevel } from '@stratus/infra';
import { parseTrustProxy, type TrustProxy } from '../http/trust-proxy';
import type { PaymentSettings } from './payment-settings';
import { rateLimitsFromEnvironment, type RateLimitSettings } from './rate-limit-settings';
import type { VpsSettings } from './vps-settings';

export const API_CONFIG = Symbol('API_CONFIG');

/**
 * The API's configuration, typed once from the validated environment (apiConfigFrom): the only place the
 * API reads its environment. Tests build it by hand; fields left out take the schema's defaults.
 */
export interface ApiConfig {
  nodeEnv: string;
  /** LOG_LEVEL; absent: info. */
  logLevel?: LogLevel;
  /** LOG_FORMAT; absent: json. */
  logFormat?: LogFormat;
  databaseUrl: string;
  eventStore: { kind: 'postgres' | 'eventstoredb'; connectionString?: string };
  jwt: { secret: string; issuer: string; audience: string; ttlSeconds: number };
  /** trustProxy: whose X-Forwarded-For names the client (Express's 'trust proxy', see parseTrustProxy). */
  http: { port: number; host: string; trustProxy: TrustProxy };
  /** `promoteExisting`: an existing customer account with the admin email may be promoted (ADMIN_PROMOTE_EXISTING). */
  admin: { email?: string; password?: string; promoteExisting?: boolean };
  /** REQUIRE_VERIFIED_EMAIL: creating a server needs a verified email address (absent: true). */
  requireVerifiedEmail?: boolean;
  /** STAFF_REQUIRE_2FA; absent: required outside development (see staffRequiresTwoFactor). */
  staffRequireTwoFactor?: boolean;
  /** METRICS_TOKEN: the bearer token /metrics requires (see metricsAccess); absent: open outside production. */
  metricsToken?: string;
  /** API_DOCS_UI: serve the Swagger UI at /api/docs (absent: true); /api/openapi.json is served regardless. */
  docsUi?: boolean;
  /** TEMPORAL_UI_URL: base of the links staff views give into the Temporal Web UI (schema default when absent). */
  temporalUiUrl?: string;
  /** The browser SSH console (CONSOLE_*); fields left out take the schema's defaults. */
  console?: Partial<ConsoleConfig>;
  /** Provider, secrets and billing settings (see resolveVpsSettings); under NODE_ENV=test a throwaway encryption key. */
  vps?: Partial<VpsSettings>;
  /** PayPal, Stripe, customer payment limits and PORTAL_URL (see resolvePaymentSettings). */
  payments?: Partial<PaymentSettings>;
  /** Request rate limits (RATE_LIMIT_*); policies left out take the schema's defaults. */
  rateLimits?: Partial<RateLimitSettings>;
  /** The live-updates WebSocket (LIVE_*); fields left out take the schema's defaults. */
  live?: Partial<LiveConfig>;
}

export interface LiveConfig {
  /** Live sockets one user may have open at once on this instance. */
  maxSocketsPerUser: number;
}

/** Whether /api/admin/* needs the admin's 2FA on: STAFF_REQUIRE_2FA, else everywhere but development. */
export function staffRequiresTwoFactor(
  config: Pick<ApiConfig, 'nodeEnv' | 'staffRequireTwoFactor'>,
): boolean {
  return config.staffRequireTwoFactor ?? config.nodeEnv !== 'development';
}

export interface ConsoleConfig {
  /** Origins (scheme://host[:port]) whose pages may open the console WebSocket. */
  allowedOrigins: string[];
  /** Public ws(s) URL of the console WebSocket; null: derived from the ticket request's host. */
  publicWsUrl: string | null;
  sshPort: number;
  sshUsername: string;
  idleTimeoutSeconds: number;
  maxSessionsPerUser: number;
  maxSessions: number;
}

export function apiConfigFrom(config: Config): ApiConfig {
  return {
    nodeEnv: config.NODE_ENV ?? 'development',
    logLevel: (config.LOG_LEVEL ?? 'info') as LogLevel,
    logFormat: (config.LOG_FORMAT ?? 'json') as LogFormat,
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
      trustProxy: parseTrustProxy(config.TRUST_PROXY),
    },
    admin: {
      email: config.ADMIN_EMAIL,
      password: config.ADMIN_PASSWORD,
      promoteExisting: config.ADMIN_PROMOTE_EXISTING === 'true',
    },
    requireVerifiedEmail: config.REQUIRE_VERIFIED_EMAIL !== 'false',
    ...(config.STAFF_REQUIRE_2FA ? { staffRequireTwoFactor: config.STAFF_REQUIRE_2FA === 'true' } : {}),
    ...(config.METRICS_TOKEN ? { metricsToken: config.METRICS_TOKEN } : {}),
    docsUi: config.API_DOCS_UI ? config.API_DOCS_UI === 'true' : config.NODE_ENV !== 'production',
    ...(config.TEMPORAL_UI_URL ? { temporalUiUrl: config.TEMPORAL_UI_URL } : {}),
    temporal: {
      address: requireValue(config, 'TEMPORAL_ADDRESS'),
      namespace: requireValue(config, 'TEMPORAL_NAMESPACE'),
    },
    vps: {
      linode: { apiUrl: requireValue(config, 'LINODE_API_URL'), token: requireValue(config, 'LINODE_TOKEN') },
      ...(config.SECRETS_ENCRYPTION_KEY ? { secretsEncryptionKey: config.SECRETS_ENCRYPTION_KEY } : {}),
      billingPeriodSeconds: Number(requireValue(config, 'BILLING_PERIOD_SECONDS')),
      suspendGraceSeconds: Number(requireValue(config, 'SUSPEND_GRACE_SECONDS')),
      suspendedDeleteAfterDays: Number(requireValue(config, 'SUSPENDED_DELETE_AFTER_DAYS')),
      provisioningRunningTimeoutSeconds: Number(requireValue(config, 'PROVISIONING_RUNNING_TIMEOUT_SECONDS')),
      minBalanceHours: Number(requireValue(config, 'VPS_MIN_BALANCE_HOURS')),
    },
    payments: {
      paypal: {
        apiUrl: requireValue(config, 'PAYPAL_API_URL'),
        clientId: requireValue(config, 'PAYPAL_CLIENT_ID'),
        clientSecret: requireValue(config, 'PAYPAL_CLIENT_SECRET'),
        webhookId: requireValue(config, 'PAYPAL_WEBHOOK_ID'),
      },
      stripe: {
        apiUrl: requireValue(config, 'STRIPE_API_URL'),
        secretKey: requireValue(config, 'STRIPE_SECRET_KEY'),
        webhookSecret: requireValue(config, 'STRIPE_WEBHOOK_SECRET'),
      },
      limits: {
        min: parseMoney(requireValue(config, 'PAYMENT_MIN_AMOUNT')),
        max: parseMoney(requireValue(config, 'PAYMENT_MAX_AMOUNT')),
        daily: parseMoney(requireValue(config, 'PAYMENT_DAILY_LIMIT')),
      },
      portalUrl: requireValue(config, 'PORTAL_URL'),
      workflow: { expireAfterSeconds: durationSeconds(requireValue(config, 'PAYMENT_EXPIRE_AFTER'))! },
    },
    console: {
      allowedOrigins: requireValue(config, 'CONSOLE_ALLOWED_ORIGINS')
        .split(',')
        .map((origin) => origin.trim()),
      publicWsUrl: config.CONSOLE_WS_URL ?? null,
      sshPort: Number(requireValue(config, 'CONSOLE_SSH_PORT')),
      sshUsername: requireValue(config, 'CONSOLE_SSH_USERNAME'),
      idleTimeoutSeconds: Number(requireValue(config, 'CONSOLE_IDLE_TIMEOUT_SECONDS')),
      maxSessionsPerUser: Number(requireValue(config, 'CONSOLE_MAX_SESSIONS_PER_USER')),
      maxSessions: Number(requireValue(config, 'CONSOLE_MAX_SESSIONS')),
    },
    live: { maxSocketsPerUser: Number(requireValue(config, 'LIVE_MAX_SOCKETS_PER_USER')) },
    rateLimits: rateLimitsFromEnvironment((key) => config[key]),
  };
}
