import { isIP } from 'node:net';
import { isRateLimit } from './rate-limit';
/**
 * Every environment variable Stratus reads, in one declarative table. The apps validate it at start-up
 * (`loadConfig`), `.env.example` documents it, and a test checks docker-compose.yml sets what each service needs.
 */
export type ServiceName = 'api' | 'workers' | 'web';

export interface VariableSpec {
  description: string;
  /** Services that read it. */
  services: readonly ServiceName[];
  /** Default when unset; undefined means required (unless `optional`). */
  default?: string;
  optional?: boolean;
  /** Returns an error message when the value is malformed. */
  validate?: (value: string) => string | null;
  /** Never printed (secrets). */
  secret?: boolean;
  /** Only required when another variable has a given value. */
  requiredWhen?: { variable: string; equals: string };
}

const isUrl =
  (...protocols: string[]) =>
  (value: string): string | null => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) ? null : `must be a ${protocols.join(' or ')} URL`;
    } catch {
      return 'must be a URL';
    }
  };
const isPort = (value: string) =>
  /^\d{1,5}$/.test(value) && Number(value) > 0 && Number(value) < 65536
    ? null
    : 'must be a TCP port (1-65535)';
const isUsdAmount = (value: string) =>
  /^(0|[1-9]\d{0,8})(\.\d{1,2})?$/.test(value)
    ? null
    : 'must be USD with at most 2 decimals, such as "20.00"';
const isPositiveInt = (value: string) => (/^[1-9]\d{0,9}$/.test(value) ? null : 'must be a positive integer');
const oneOf =
  (...values: string[]) =>
  (value: string) =>
    values.includes(value) ? null : `must be one of ${values.join(', ')}`;
const TRUST_PROXY_ENTRY = /^(loopback|[0-9a-fA-F.:]+(\/\d{1,3})?)$/;
const isTrustProxy = (value: string) =>
  value === 'true' ||
  value === 'false' ||
  value.split(',').every((entry) => TRUST_PROXY_ENTRY.test(entry.trim()) && isIpEntry(entry.trim()))
    ? null
    : 'must be true, false, or a comma-separated list of loopback, IP addresses and CIDR subnets';
function isIpEntry(entry: string): boolean {
  if (entry === 'loopback') return true;
  const [address, bits] = entry.split('/');
  const family = isIP(address);
  return family !== 0 && (bits === undefined || Number(bits) <= (family === 4 ? 32 : 128));
}
const DURATION_UNITS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
/** '90s', '30m', '3h', '2d' in seconds; null for anything else (zero included). */
export function durationSeconds(value: string): number | null {
  const match = /^([1-9]\d{0,6})([smhd])$/.exec(value);
  return match ? Number(match[1]) * DURATION_UNITS[match[2] as keyof typeof DURATION_UNITS] : null;
}
const minLength = (n: number) => (value: string) =>
  value.length >= n ? null : `must be at least ${n} characters`;

export const CONFIG_SCHEMA = {
  NODE_ENV: {
    description: 'development | production | test',
    services: ['api', 'workers', 'web'],
    default: 'development',
    validate: oneOf('development', 'production', 'test'),
  },
  LOG_LEVEL: {
    description: 'error | warn | info | debug',
    services: ['api', 'workers'],
    default: 'info',
    validate: oneOf('error', 'warn', 'info', 'debug'),
  },
  LOG_FORMAT: {
    description:
      'json (one JSON object a line, for log shippers) | pretty (readable lines); npm start: pretty on a terminal, else json',
    services: ['api', 'workers'],
    default: 'json',
    validate: oneOf('json', 'pretty'),
  },
  DATABASE_URL: {
    description: 'PostgreSQL URL of the read models (and of the event store when EVENT_STORE=postgres)',
    services: ['api', 'workers'],
    validate: isUrl('postgres:', 'postgresql:'),
    secret: true,
  },
  EVENT_STORE: {
    description: 'Event store adapter: postgres | eventstoredb',
    services: ['api', 'workers'],
    default: 'postgres',
    validate: oneOf('postgres', 'eventstoredb'),
  },
  EVENTSTORE_CONNECTION_STRING: {
    description: 'EventStoreDB/KurrentDB connection string, e.g. esdb://localhost:2113?tls=false',
    services: ['api', 'workers'],
    optional: true,
    requiredWhen: { variable: 'EVENT_STORE', equals: 'eventstoredb' },
    validate: isUrl('esdb:', 'esdb+discover:', 'kurrentdb:', 'kurrentdb+discover:', 'kurrent:'),
    secret: true,
  },
  JWT_SECRET: {
    description: 'HMAC key signing session tokens (HS256), at least 32 characters',
    services: ['api'],
    validate: minLength(32),
    secret: true,
  },
  JWT_ISSUER: { description: 'JWT issuer (iss)', services: ['api'], default: 'stratus' },
  JWT_AUDIENCE: { description: 'JWT audience (aud)', services: ['api'], default: 'stratus-api' },
  JWT_TTL_SECONDS: {
    description: 'Session token lifetime in seconds',
    services: ['api'],
    default: '43200',
    validate: isPositiveInt,
  },
  API_PORT: { description: 'Port of the HTTP API', services: ['api'], default: '3001', validate: isPort },
  API_HOST: { description: 'Interface the API listens on', services: ['api'], default: '0.0.0.0' },
  TRUST_PROXY: {
    description:
      'Trust X-Forwarded-For for the client address (login throttling, audit): false | true (from any peer) | a comma-separated list of the proxies in front of the API: loopback (a proxy on this machine, e.g. the portal; npm start), addresses, CIDR subnets (the compose file names the portal)',
    services: ['api'],
    default: 'false',
    validate: isTrustProxy,
  },
  METRICS_TOKEN: {
    description:
      'Bearer token Prometheus sends to scrape the API’s /metrics; unset: /metrics is open outside production and off in production',
    services: ['api'],
    optional: true,
    secret: true,
    validate: minLength(24),
  },
  API_DOCS_UI: {
    description:
      'Serve the Swagger UI at /api/docs: true | false (default: true outside production, false in production); /api/openapi.json is always served',
    services: ['api'],
    optional: true,
    validate: oneOf('true', 'false'),
  },
  ADMIN_EMAIL: {
    description: 'Platform admin seeded at start-up',
    services: ['api'],
    optional: true,
  },
  ADMIN_PASSWORD: {
    description: 'Password of the seeded admin (generated and printed once when unset)',
    services: ['api'],
    optional: true,
    secret: true,
  },
  ADMIN_PROMOTE_EXISTING: {
    description:
      'true: an existing customer account with ADMIN_EMAIL is promoted to platform admin at start-up (logged as a warning); false: it is left a customer (anyone could have registered that address first)',
    services: ['api'],
    default: 'false',
    validate: oneOf('true', 'false'),
  },
  REQUIRE_VERIFIED_EMAIL: {
    description:
      'true: a user must verify their email address (the mailed link) before creating a server (403 email_not_verified); signing in works either way',
    services: ['api'],
    default: 'true',
    validate: oneOf('true', 'false'),
  },
  STAFF_REQUIRE_2FA: {
    description:
      'true: platform admins without two-factor authentication get 403 two_factor_required on /api/admin/* (they can still set it up under /api/me/2fa) | false (default: false under NODE_ENV=development, true otherwise)',
    services: ['api'],
    optional: true,
    validate: oneOf('true', 'false'),
  },
  TEMPORAL_ADDRESS: {
    description: 'Temporal frontend host:port',
    services: ['api', 'workers'],
    default: 'localhost:7233',
    validate: (value: string) => (/^[^\s:/]+:\d{1,5}$/.test(value) ? null : 'must be host:port'),
  },
  TEMPORAL_NAMESPACE: { description: 'Temporal namespace', services: ['api', 'workers'], default: 'default' },
  TEMPORAL_UI_URL: {
    description: 'Temporal Web UI base URL; staff provisioning views link each workflow into it',
    services: ['api'],
    default: 'http://localhost:8233',
    validate: isUrl('http:', 'https:'),
  },
  SECRETS_ENCRYPTION_KEY: {
    description: 'AES-256-GCM key (32 bytes, base64) encrypting server root passwords at rest',
    services: ['api', 'workers'],
    validate: (value: string) =>
      Buffer.from(value, 'base64').length === 32 ? null : 'must be 32 bytes, base64-encoded',
    secret: true,
  },
  LINODE_API_URL: {
    description: 'Linode API v4 base URL (npm start: the local Linode-compatible simulator)',
    services: ['api', 'workers'],
    default: 'http://127.0.0.1:4010/v4',
    validate: isUrl('http:', 'https:'),
  },
  LINODE_TOKEN: {
    description: 'Linode personal access token (bearer)',
    services: ['api', 'workers'],
    default: 'simulator-token',
    secret: true,
  },
  BILLING_PERIOD_SECONDS: {
    description: 'Length of a billing period in seconds (3600 in production; tests use seconds)',
    services: ['api', 'workers'],
    default: '3600',
    validate: isPositiveInt,
  },
  SUSPEND_GRACE_SECONDS: {
    description: 'After a charge fails for lack of funds, seconds before the server is suspended',
    services: ['api', 'workers'],
    default: '86400',
    validate: isPositiveInt,
  },
  SUSPENDED_DELETE_AFTER_DAYS: {
    description:
      'A server suspended for lack of funds this many days is deleted (warnings 7 days and 1 day before)',
    services: ['api', 'workers'],
    default: '14',
    validate: isPositiveInt,
  },
  DELETION_RESIGNAL_AFTER_SECONDS: {
    description:
      'A billed server still deleting after this many seconds gets its delete signal again (a schedule checks every minute)',
    services: ['workers'],
    default: '300',
    validate: isPositiveInt,
  },
  TRANSFER_MEASURE_EVERY_SECONDS: {
    description:
      "Seconds between two measurements of every server's network transfer at the provider (a Temporal schedule; one measurement per server per hour is recorded)",
    services: ['workers'],
    default: '3600',
    validate: isPositiveInt,
  },
  PROVISIONING_RUNNING_TIMEOUT_SECONDS: {
    description: 'Seconds the provider may take to report a new instance running before it is marked stuck',
    services: ['api', 'workers'],
    default: '600',
    validate: isPositiveInt,
  },
  VPS_MIN_BALANCE_HOURS: {
    description:
      "Creating a server needs a balance of its first hour plus this many hours of the hourly burn of all the organization's servers (provisioning, active or suspended, the new one included)",
    services: ['api'],
    default: '24',
    validate: (value: string) => (/^\d{1,5}$/.test(value) ? null : 'must be a whole number of hours'),
  },
  PAYPAL_API_URL: {
    description:
      'PayPal REST API base URL (sandbox: https://api-m.sandbox.paypal.com, live: https://api-m.paypal.com; npm start: the local PayPal simulator)',
    services: ['api', 'workers'],
    default: 'http://127.0.0.1:4020',
    validate: isUrl('http:', 'https:'),
  },
  PAYPAL_CLIENT_ID: {
    description:
      "PayPal REST app client id (OAuth2 client credentials; the default is the PayPal simulator's)",
    services: ['api', 'workers'],
    default: 'sim-client-id',
  },
  PAYPAL_CLIENT_SECRET: {
    description: 'PayPal REST app secret',
    services: ['api', 'workers'],
    default: 'sim-client-secret',
    secret: true,
  },
  PAYPAL_WEBHOOK_ID: {
    description:
      'Id of the webhook registered in the PayPal app (verify-webhook-signature checks deliveries against it)',
    services: ['api'],
    default: 'SIMWEBHOOK0001',
    // PayPal's webhook ids are letters and digits (e.g. 8PT597110X687430LKGECATA).
    validate: (value: string) => (/^[A-Za-z0-9]{1,50}$/.test(value) ? null : 'must be letters and digits'),
  },
  STRIPE_API_URL: {
    description:
      'Stripe API base URL (live and test mode: https://api.stripe.com; npm start and tests: stripe-mock)',
    services: ['api', 'workers'],
    default: 'http://127.0.0.1:12111',
    validate: isUrl('http:', 'https:'),
  },
  STRIPE_SECRET_KEY: {
    description: 'Stripe secret API key (sk_test_… or sk_live_…; stripe-mock accepts any sk_test_ key)',
    services: ['api', 'workers'],
    default: 'sk_test_123',
    secret: true,
  },
  STRIPE_WEBHOOK_SECRET: {
    description:
      'Signing secret of the Stripe webhook endpoint (whsec_…): Stripe-Signature is checked with it',
    services: ['api'],
    default: 'whsec_stratus_development',
    secret: true,
  },
  PAYMENT_MIN_AMOUNT: {
    description: 'Smallest customer payment, USD with at most 2 decimals',
    services: ['api'],
    default: '5.00',
    validate: isUsdAmount,
  },
  PAYMENT_MAX_AMOUNT: {
    description: 'Largest customer payment, USD with at most 2 decimals',
    services: ['api'],
    default: '1000.00',
    validate: isUsdAmount,
  },
  PAYMENT_DAILY_LIMIT: {
    description: 'Most one organization may pay in one UTC day, USD with at most 2 decimals',
    services: ['api'],
    default: '2000.00',
    validate: isUsdAmount,
  },
  PAYMENT_EXPIRE_AFTER: {
    description:
      'How long a payment may wait for its approval and capture (its workflow polls the provider meanwhile) before it expires: a number and s, m, h or d, such as 3h',
    services: ['api'],
    default: '3h',
    validate: (value: string) =>
      durationSeconds(value) === null ? 'must be a duration such as 90s, 30m, 3h or 2d' : null,
  },
  PRICES_INCLUDE_TAX: {
    description:
      'true: payment amounts include the tax of the customer country (invoices extract it); false: they exclude it (invoices add it on top)',
    services: ['workers'],
    default: 'true',
    validate: oneOf('true', 'false'),
  },
  PORTAL_URL: {
    description:
      'Public base URL of the portal: payment providers send customers back to its billing pages; links in mails point at it',
    services: ['api', 'workers'],
    default: 'http://localhost:3000',
    validate: isUrl('http:', 'https:'),
  },
  CONSOLE_ALLOWED_ORIGINS: {
    description:
      'Comma-separated origins (scheme://host[:port]) whose pages may open the browser SSH console WebSocket',
    services: ['api'],
    default: 'http://localhost:3000',
    validate: (value: string) => {
      const origins = value.split(',').map((origin) => origin.trim());
      const bad = origins.find((origin) => {
        try {
          const url = new URL(origin);
          return !['http:', 'https:'].includes(url.protocol) || url.origin !== origin;
        } catch {
          return true;
        }
      });
      return bad === undefined ? null : `must list origins like https://portal.example.com (bad: "${bad}")`;
    },
  },
  CONSOLE_WS_URL: {
    description:
      'Public URL of the console WebSocket as browsers reach it (default: ws(s)://<host of the ticket request>/api/console); set it for the portal too, whose Content-Security-Policy allows its origin',
    services: ['api', 'web'],
    optional: true,
    validate: isUrl('ws:', 'wss:'),
  },
  CONSOLE_SSH_PORT: {
    description: 'SSH port of the servers the browser console connects to',
    services: ['api'],
    default: '22',
    validate: isPort,
  },
  CONSOLE_SSH_USERNAME: {
    description: 'User the browser console logs in as (with the server’s root password)',
    services: ['api'],
    default: 'root',
    validate: (value: string) =>
      /^[a-z_][a-z0-9_-]{0,31}$/.test(value) ? null : 'must be a POSIX user name',
  },
  CONSOLE_IDLE_TIMEOUT_SECONDS: {
    description: 'A console session with no input from the browser for this long is closed',
    services: ['api'],
    default: '900',
    validate: isPositiveInt,
  },
  CONSOLE_MAX_SESSIONS_PER_USER: {
    description: 'Console sessions one user may have open at once (per API instance)',
    services: ['api'],
    default: '3',
    validate: isPositiveInt,
  },
  CONSOLE_MAX_SESSIONS: {
    description: 'Console sessions open at once in one API instance',
    services: ['api'],
    default: '100',
    validate: isPositiveInt,
  },
  LIVE_MAX_SOCKETS_PER_USER: {
    description:
      'Live-update WebSockets (/api/live) one user may have open at once (per API instance; a tab holds one)',
    services: ['api'],
    default: '10',
    validate: isPositiveInt,
  },
  RATE_LIMIT_ANONYMOUS: {
    description:
      'Requests per client address without a session (through TRUST_PROXY: the visitor behind the portal), as <requests>/<period> (s, m or h)',
    services: ['api'],
    default: '300/1m',
    validate: isRateLimit,
  },
  RATE_LIMIT_USER: {
    description: 'Requests per signed-in user, from all their sessions and addresses together',
    services: ['api'],
    default: '600/1m',
    validate: isRateLimit,
  },
  RATE_LIMIT_API_KEY: {
    description: 'Requests per API key',
    services: ['api'],
    default: '600/1m',
    validate: isRateLimit,
  },
  RATE_LIMIT_REGISTRATION: {
    description: 'Account registrations per client address',
    services: ['api'],
    default: '20/1h',
    validate: isRateLimit,
  },
  RATE_LIMIT_ORGANIZATION_CREATION: {
    description: 'Organizations one user may create',
    services: ['api'],
    default: '10/1h',
    validate: isRateLimit,
  },
  RATE_LIMIT_POWER_ACTIONS: {
    description:
      'Power actions (boot, shut down, reboot) per server: each calls the cloud provider with the platform’s token',
    services: ['api'],
    default: '3/1m',
    validate: isRateLimit,
  },
  RATE_LIMIT_PROVIDER_READS: {
    description:
      'Backup lists and restores per server: each reads the cloud provider with the platform’s token',
    services: ['api'],
    default: '60/1m',
    validate: isRateLimit,
  },
  RATE_LIMIT_TICKETS: {
    description: 'Console and live-update tickets per user',
    services: ['api'],
    default: '30/1m',
    validate: isRateLimit,
  },
  SMTP_URL: {
    description:
      'SMTP server the workers send mail through: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://…:465 (TLS); unset: mails wait in the outbox unsent (npm start: Mailpit)',
    services: ['workers'],
    optional: true,
    validate: isUrl('smtp:', 'smtps:'),
    secret: true,
  },
  MAIL_FROM: {
    description:
      'Sender of every mail, e.g. "Stratus <no-reply@example.com>" (its domain names the Message-IDs)',
    services: ['workers'],
    default: 'Stratus <no-reply@stratus.local>',
    validate: (value: string) =>
      /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/.test(value.trim())
        ? null
        : 'must be an address, optionally with a name: "Name <user@domain>"',
  },
  MAIL_PRODUCT_NAME: {
    description: 'Product name in mail subjects and the mail layout',
    services: ['workers'],
    default: 'Stratus',
  },
  MAIL_ACCENT_COLOR: {
    description: 'Accent colour of the mail layout (header, buttons), #rrggbb',
    services: ['workers'],
    default: '#2563eb',
    validate: (value: string) => (/^#[0-9a-fA-F]{6}$/.test(value) ? null : 'must be a colour like #2563eb'),
  },
  MAIL_LOW_BALANCE_HOURS: {
    description:
      "A low-balance mail goes out when a charge leaves the wallet with less than this many hours of the organization's burn",
    services: ['workers'],
    default: '24',
    validate: isPositiveInt,
  },
  PROJECTION_BATCH_SIZE: {
    description: 'Events applied per projection transaction',
    services: ['workers'],
    default: '500',
    validate: isPositiveInt,
  },
  WORKERS_METRICS_PORT: {
    description: 'Port of the workers’ Prometheus /metrics endpoint',
    services: ['workers'],
    default: '9464',
    validate: isPort,
  },
  WEB_PORT: { description: 'Port of the web portal', services: ['web'], default: '3000', validate: isPort },
  API_URL: {
    description: 'Base URL of the API as the web server reaches it',
    services: ['web'],
    default: 'http://localhost:3001/api',
    validate: isUrl('http:', 'https:'),
  },
  ORIGIN: {
    description: 'Public URL of the web portal (adapter-node checks form posts against it)',
    services: ['web'],
    default: 'http://localhost:3000',
    validate: isUrl('http:', 'https:'),
  },
  LIVE_URL: {
    description:
      "WebSocket URL of the API's live updates as browsers reach it (default: API_URL with ws(s): and /live)",
    services: ['web'],
    optional: true,
    validate: isUrl('ws:', 'wss:'),
  },
} satisfies Record<string, VariableSpec>;

export type ConfigKey = keyof typeof CONFIG_SCHEMA;
