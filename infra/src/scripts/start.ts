/**
 * `npm start`: runs the whole system on one machine for development and evaluation.
 * PostgreSQL (DATABASE_URL, else the local server, else embedded), Temporal (TEMPORAL_ADDRESS, else the dev
 * server on 127.0.0.1:7233 with its state in the data directory), the Linode simulator (unless LINODE_API_URL is
 * set), the PayPal simulator (unless PAYPAL_API_URL or PAYPAL_CLIENT_ID is set) and stripe-mock (unless
 * STRIPE_API_URL or STRIPE_SECRET_KEY is set), Mailpit for the workers' mail (unless SMTP_URL is set), generated secrets kept in the data directory, then api, workers and web as child processes with prefixed
 * logs. `node infra/dist/scripts/start.js <service>…` runs only the named services (and what they need).
 * API_EXTRA_PORTS (comma-separated) runs more API instances beside the first, on those ports (several instances
 * over one database and Temporal, as behind a load balancer).
 * Ctrl-C stops the services first, then the simulators, stripe-mock, Mailpit, Temporal and PostgreSQL.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';
import { CONFIG_SCHEMA, ConfigError, ConfigKey, ServiceName, VariableSpec, loadConfig } from '../config';
import { LAUNCHER_VARIABLES } from '../config/launcher.schema';
import { PAYPAL_SIMULATOR_DEFAULTS } from '../paypal-simulator/paypal-simulator';
import { ensurePostgres, PostgresHandle, redact } from '../postgres/ensure-postgres';
import { runStripeMock, STRIPE_MOCK_DEFAULTS, StripeMock } from '../stripe-mock/stripe-mock';
import { Mailpit, MAILPIT_DEFAULTS, runMailpit } from '../mailpit/mailpit';
import { migrateSchemas } from '../postgres/migrate-schemas';
import {
  startTemporalDevServer,
  TEMPORAL_DEV_DEFAULTS,
  TemporalDevServer,
} from '../temporal/temporal-dev-server';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const ALL_SERVICES: readonly ServiceName[] = ['api', 'workers', 'web'];
const ENTRY_POINTS: Record<ServiceName, string> = {
  api: 'apps/api/dist/main.js',
  workers: 'apps/workers/dist/main.js',
  web: 'apps/web/build/index.js',
};
/** The simulators (infra/src/linode-simulator, infra/src/paypal-simulator), run as children like the services. */
const SIMULATOR_ENTRIES = {
  sim: 'infra/dist/scripts/start-sim.js',
  paypal: 'infra/dist/scripts/start-paypal-sim.js',
} as const;
type SimulatorName = keyof typeof SIMULATOR_ENTRIES;
const isSimulator = (name: ChildName): name is SimulatorName => name in SIMULATOR_ENTRIES;
const SIMULATOR_DEFAULT_PORT = 4010;
const SIMULATOR_TOKEN = 'simulator-token';
/** The simulator's SSH (the browser console's far end); the API gets it as CONSOLE_SSH_PORT. */
const SIMULATOR_SSH_DEFAULT_PORT = 2222;
const STOP_TIMEOUT_MS = 10_000;
const HEALTH_TIMEOUT_MS = 180_000;
/** Process-level variables every child keeps; everything Stratus-specific is passed explicitly. */
const PASSTHROUGH = [
  'PATH',
  'HOME',
  'USER',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'TERM',
  'NODE_OPTIONS',
  'NODE_EXTRA_CA_CERTS',
];

// ---------------------------------------------------------------- output

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code: number, text: string) => (useColor ? `\x1b[${code}m${text}\x1b[0m` : text);
/** A further API instance (API_EXTRA_PORTS): `api2`, `api3`… */
type ExtraApiName = `api${number}`;
type ChildName = ServiceName | SimulatorName | ExtraApiName;
const isExtraApi = (name: string): name is ExtraApiName => /^api\d+$/.test(name);
const COLORS: Record<
  ServiceName | SimulatorName | 'stratus' | 'postgres' | 'temporal' | 'stripe' | 'mail',
  number
> = {
  stratus: 1,
  postgres: 34,
  temporal: 33,
  sim: 90,
  paypal: 94,
  stripe: 95,
  mail: 93,
  api: 36,
  workers: 35,
  web: 32,
};
const PREFIX_WIDTH = 8;
/**
 * The services' JSON log lines as pino-pretty's one-line form ("[12:00:01] INFO: msg {fields}") when
 * LOG_FORMAT=pretty, or when it is unset and this is a terminal; LOG_FORMAT=json keeps them as written.
 */
const prettyLogs = (valueOf('LOG_FORMAT') ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'pretty';
const prettyJson = prettyFactory({
  colorize: Boolean(useColor),
  ignore: 'pid,hostname,service',
  translateTime: 'SYS:HH:MM:ss',
  singleLine: true,
});
const prettyLine = (line: string): string =>
  prettyLogs && line.startsWith('{') ? prettyJson(line).trimEnd() : line;
function say(
  source: keyof typeof COLORS | ExtraApiName,
  line: string,
  stream: NodeJS.WriteStream = process.stdout,
): void {
  const color = COLORS[isExtraApi(source) ? 'api' : source];
  stream.write(`${paint(color, source.padEnd(PREFIX_WIDTH))}│ ${line}\n`);
}
const warn = (line: string) => say('stratus', paint(33, line), process.stderr);
const fail = (line: string) => say('stratus', paint(31, line), process.stderr);

// ---------------------------------------------------------------- arguments and data directory

function parseServices(args: string[]): ServiceName[] {
  if (args.length === 0) return [...ALL_SERVICES];
  const unknown = args.filter((arg) => !ALL_SERVICES.includes(arg as ServiceName));
  if (unknown.length) {
    process.stderr.write(`usage: start.js [${ALL_SERVICES.join('|')}]…  (unknown: ${unknown.join(', ')})\n`);
    process.exit(64);
  }
  return [...new Set(args as ServiceName[])];
}

function loadDotEnv(): void {
  const file = join(REPO_ROOT, '.env');
  // Variables already in the environment win over .env (process.loadEnvFile does not overwrite).
  if (existsSync(file)) process.loadEnvFile(file);
}

/** TEMPORAL_DEV_PORT, TEMPORAL_UI_PORT, SIM_PORT: where the launcher puts what it starts (tests use free ports). */
function launcherPort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    process.stderr.write(`start.js: ${name} must be a port number (got ${JSON.stringify(raw)})\n`);
    process.exit(78);
  }
  return port;
}

/** API_EXTRA_PORTS: the ports of the API instances run beside the first. */
function extraApiPorts(): string[] {
  const raw = process.env.API_EXTRA_PORTS ?? '';
  const ports = raw
    .split(',')
    .map((port) => port.trim())
    .filter(Boolean);
  const bad = ports.find((port) => !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535);
  if (bad !== undefined) {
    process.stderr.write(`start.js: API_EXTRA_PORTS must list port numbers (got ${JSON.stringify(raw)})\n`);
    process.exit(78);
  }
  return ports;
}

function dataDirectory(): string {
  const configured = process.env.STRATUS_DATA_DIR || LAUNCHER_VARIABLES.STRATUS_DATA_DIR.default;
  const dir = isAbsolute(configured) ? configured : resolve(REPO_ROOT, configured);
  mkdirSync(dir, { recursive: true });
  return dir;
}

interface Secrets {
  JWT_SECRET?: string;
  ADMIN_PASSWORD?: string;
  [key: string]: string | undefined;
}

/**
 * Secrets generated once and kept in <data>/secrets.json (mode 600), so restarts keep sessions valid.
 * Add future generated secrets (e.g. SECRETS_ENCRYPTION_KEY) to GENERATED.
 */
const GENERATED: Record<string, () => string> = {
  JWT_SECRET: () => randomBytes(48).toString('base64url'),
  SECRETS_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
};

function loadSecrets(
  dataDir: string,
  wantAdminPassword: boolean,
): { secrets: Secrets; adminPasswordGenerated: boolean } {
  const file = join(dataDir, 'secrets.json');
  const secrets: Secrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  let changed = false;
  for (const [key, generate] of Object.entries(GENERATED)) {
    if (!secrets[key]) {
      secrets[key] = generate();
      changed = true;
    }
  }
  let adminPasswordGenerated = false;
  if (wantAdminPassword && !secrets.ADMIN_PASSWORD) {
    secrets.ADMIN_PASSWORD = randomBytes(12).toString('base64url');
    adminPasswordGenerated = true;
    changed = true;
  }
  if (changed) writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
  chmodSync(file, 0o600);
  return { secrets, adminPasswordGenerated };
}

// ---------------------------------------------------------------- environment per service

interface Resolved {
  values: Partial<Record<ConfigKey, string>>;
  apiPort: string;
  webPort: string;
  adminEmail: string;
  /** Set when the launcher runs the Linode simulator. */
  simulatorUrl?: string;
  /** The simulator's SSH port, set when the launcher runs the simulator. */
  simulatorSshPort?: string;
  /** Set when the launcher runs the PayPal simulator. */
  payPalSimulatorUrl?: string;
  /** Set when the launcher runs stripe-mock. */
  stripeMockUrl?: string;
  /** Set when the launcher runs Mailpit (its web UI; the workers get its SMTP_URL). */
  mailpitUiUrl?: string;
  /**
   * What the api and the workers are given to reach the PayPal simulator and stripe-mock (PAYPAL_*, STRIPE_*),
   * each only when the environment does not set it.
   */
  paymentEnv: Record<string, string>;
}

function valueOf(key: ConfigKey): string | undefined {
  const raw = process.env[key];
  return raw === undefined || raw === '' ? undefined : raw;
}
const withDefault = (key: ConfigKey) => valueOf(key) ?? (CONFIG_SCHEMA[key] as VariableSpec).default ?? '';

function serviceEnv(service: ServiceName, resolved: Resolved): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const key of PASSTHROUGH) if (process.env[key] !== undefined) env[key] = process.env[key];
  for (const [key, spec] of Object.entries(CONFIG_SCHEMA) as [ConfigKey, VariableSpec][]) {
    if (!spec.services.includes(service)) continue;
    const value = resolved.values[key] ?? valueOf(key);
    if (value !== undefined) env[key] = value;
  }
  // The API's console dials the servers' SSH on this port; an explicit CONSOLE_SSH_PORT wins.
  if (service === 'api' && resolved.simulatorSshPort && !process.env.CONSOLE_SSH_PORT)
    env.CONSOLE_SSH_PORT = resolved.simulatorSshPort;
  // The console WebSocket accepts pages of the portal this launcher serves (WEB_PORT may move it).
  if (service === 'api' && !process.env.CONSOLE_ALLOWED_ORIGINS)
    env.CONSOLE_ALLOWED_ORIGINS = process.env.ORIGIN || `http://localhost:${resolved.webPort}`;
  // Payment providers send customers back to the portal this launcher serves, and the workers' mails link to it
  // (WEB_PORT may move it).
  if ((service === 'api' || service === 'workers') && !process.env.PORTAL_URL)
    env.PORTAL_URL = process.env.ORIGIN || `http://localhost:${resolved.webPort}`;
  // The portal calls the API from this machine and forwards each visitor's address: without this, login
  // throttling and the audit trail would see every portal user as one client.
  if (service === 'api' && !process.env.TRUST_PROXY) env.TRUST_PROXY = 'loopback';
  if (service === 'api' || service === 'workers')
    for (const [key, value] of Object.entries(resolved.paymentEnv)) if (!process.env[key]) env[key] = value;
  // Services always write JSON lines; the launcher shows them readably itself (see prettyLine).
  if ((CONFIG_SCHEMA.LOG_FORMAT as VariableSpec).services.includes(service)) env.LOG_FORMAT = 'json';
  if (service === 'web') {
    // adapter-node reads PORT/HOST/ORIGIN.
    env.PORT = resolved.webPort;
    env.ORIGIN = env.ORIGIN ?? `http://localhost:${resolved.webPort}`;
  }
  return env;
}

// ---------------------------------------------------------------- children

interface Child {
  service: ChildName;
  process: ChildProcess;
  exited: Promise<void>;
  alive: boolean;
}

function pipeLines(
  service: ChildName,
  stream: NodeJS.ReadableStream | null,
  target: NodeJS.WriteStream,
): void {
  if (!stream) return;
  // Scripts that prefix their own lines when run alone (start-sim.js: "sim │ …") are not prefixed twice.
  const ownPrefix = new RegExp(`^${service}\\s*│ `);
  createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
    say(service, prettyLine(line.replace(ownPrefix, '')), target),
  );
}

function startChild(
  service: ChildName,
  env: NodeJS.ProcessEnv,
  onUnexpectedExit: (child: Child) => void,
): Child {
  const entryPoint = isSimulator(service)
    ? SIMULATOR_ENTRIES[service]
    : ENTRY_POINTS[isExtraApi(service) ? 'api' : service];
  const entry = join(REPO_ROOT, entryPoint);
  const child = spawn(process.execPath, [entry], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const record: Child = { service, process: child, alive: true, exited: Promise.resolve() };
  record.exited = new Promise((resolveExit) => {
    child.on('error', (error) => {
      say(service, paint(31, `failed to start: ${error.message}`), process.stderr);
    });
    child.on('exit', (code, signal) => {
      record.alive = false;
      if (!shuttingDown) {
        fail(
          `${service} exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`}); the others keep running.`,
        );
        fail(`restart it alone with: npm run start:${service}`);
        onUnexpectedExit(record);
      }
      resolveExit();
    });
  });
  pipeLines(service, child.stdout, process.stdout);
  pipeLines(service, child.stderr, process.stderr);
  say(service, `started (pid ${child.pid}): node ${entryPoint}`);
  return record;
}

let shuttingDown = false;
const children: Child[] = [];
let postgres: PostgresHandle | null = null;
let temporal: TemporalDevServer | null = null;
let stripeMock: StripeMock | null = null;
let mailpit: Mailpit | null = null;
/** Cancels a Temporal dev server still starting when Ctrl-C comes first. */
const temporalStart = { abort: new AbortController(), pending: null as Promise<unknown> | null };

/** SIGTERM, then SIGKILL after STOP_TIMEOUT_MS; resolves when every one has exited. */
async function stopChildren(group: Child[]): Promise<void> {
  const alive = group.filter((child) => child.alive);
  if (alive.length === 0) return;
  say('stratus', `stopping ${alive.map((child) => child.service).join(', ')}…`);
  for (const child of alive) child.process.kill('SIGTERM');
  const timer = setTimeout(() => {
    for (const child of alive.filter((c) => c.alive)) {
      warn(`${child.service} did not stop within ${STOP_TIMEOUT_MS / 1000}s; killing it`);
      child.process.kill('SIGKILL');
    }
  }, STOP_TIMEOUT_MS);
  await Promise.all(alive.map((child) => child.exited));
  clearTimeout(timer);
}

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    // The services first (they may still be talking to the rest), then what they use.
    await stopChildren(children.filter((child) => !isSimulator(child.service)));
    await stopChildren(children.filter((child) => isSimulator(child.service)));
    if (stripeMock) {
      say('stripe', 'stopping…');
      await stripeMock.stop().catch((error) => warn(`stopping stripe-mock: ${(error as Error).message}`));
    }
    if (mailpit) {
      say('mail', 'stopping…');
      await mailpit.stop().catch((error) => warn(`stopping Mailpit: ${(error as Error).message}`));
    }
    temporalStart.abort.abort();
    await temporalStart.pending?.catch(() => undefined);
    if (temporal) {
      say('temporal', 'stopping…');
      await temporal.stop().catch((error) => warn(`stopping Temporal: ${(error as Error).message}`));
    }
    if (postgres)
      await postgres.stop().catch((error) => warn(`stopping PostgreSQL: ${(error as Error).message}`));
    say('stratus', 'stopped');
  }
  process.exit(code);
}

// ---------------------------------------------------------------- readiness

/** Polls url until it answers 2xx (or any HTTP status when anyStatus, e.g. 401 without a token). */
async function waitForHttp(
  url: string,
  stillRunning: () => boolean,
  timeoutMs: number,
  anyStatus = false,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && stillRunning() && !shuttingDown) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      if (response.ok || anyStatus) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 500));
  }
  return false;
}

// ---------------------------------------------------------------- payment providers

// stripe-mock accepts only keys that look real: sk_test_ and letters or digits (an underscore more is a 401).
const STRIPE_MOCK_SECRET_KEY = 'sk_test_stratusStripeMock';
/** stripe-mock sends no webhooks: whoever signs test events (tests, a developer) uses this shared secret. */
const STRIPE_MOCK_WEBHOOK_SECRET = 'whsec_stratus_development';

/**
 * The PayPal simulator (delivering its webhooks to the API) and stripe-mock, unless real providers are configured:
 * PAYPAL_API_URL / PAYPAL_CLIENT_ID, STRIPE_API_URL / STRIPE_SECRET_KEY. Either missing only warns: top-ups through
 * that provider fail, the rest runs.
 */
async function startPaymentProviders(resolved: Resolved): Promise<void> {
  const env = process.env;
  if (!env.PAYPAL_API_URL && !env.PAYPAL_CLIENT_ID) {
    const port = launcherPort('PAYPAL_SIM_PORT', PAYPAL_SIMULATOR_DEFAULTS.port);
    const url = `http://127.0.0.1:${port}`;
    const entry = SIMULATOR_ENTRIES.paypal;
    if (!existsSync(join(REPO_ROOT, entry))) {
      fail(`paypal: ${entry} is not built (npm run build); PayPal top-ups will fail`);
    } else {
      const simEnv: NodeJS.ProcessEnv = {
        PAYPAL_SIM_PORT: String(port),
        PAYPAL_SIM_HOST: '127.0.0.1',
        PAYPAL_SIM_WEBHOOK_URL: `http://127.0.0.1:${resolved.apiPort}/api/webhooks/paypal`,
      };
      for (const key of PASSTHROUGH) if (process.env[key] !== undefined) simEnv[key] = process.env[key];
      const paypal = startChild('paypal', simEnv, () => undefined);
      children.push(paypal);
      if (await waitForHttp(`${url}/__sim/faults`, () => paypal.alive, 30_000)) {
        resolved.payPalSimulatorUrl = url;
        Object.assign(resolved.paymentEnv, {
          PAYPAL_API_URL: url,
          PAYPAL_CLIENT_ID: PAYPAL_SIMULATOR_DEFAULTS.clientId,
          PAYPAL_CLIENT_SECRET: PAYPAL_SIMULATOR_DEFAULTS.clientSecret,
          PAYPAL_WEBHOOK_ID: PAYPAL_SIMULATOR_DEFAULTS.webhookId,
        });
      } else if (!shuttingDown) warn(`the PayPal simulator did not answer at ${url}`);
    }
  }
  if (!env.STRIPE_API_URL && !env.STRIPE_SECRET_KEY && !shuttingDown) {
    try {
      stripeMock = await runStripeMock({
        port: launcherPort('STRIPE_MOCK_PORT', STRIPE_MOCK_DEFAULTS.port),
        log: (line) => say('stripe', line),
      });
      say('stripe', `ready (pid ${stripeMock.pid}): stripe-mock ${stripeMock.url}`);
      resolved.stripeMockUrl = stripeMock.url;
      Object.assign(resolved.paymentEnv, {
        STRIPE_API_URL: stripeMock.url,
        STRIPE_SECRET_KEY: STRIPE_MOCK_SECRET_KEY,
        STRIPE_WEBHOOK_SECRET: env.STRIPE_WEBHOOK_SECRET || STRIPE_MOCK_WEBHOOK_SECRET,
      });
    } catch (error) {
      // No Go toolchain to build it (GoToolUnavailableError), or it would not start (port taken).
      warn(`stripe-mock: ${(error as Error).message}; card top-ups will fail`);
    }
  }
}

/**
 * Mailpit for the workers' mail unless SMTP_URL names a real server: it keeps every message (web UI and API on
 * MAILPIT_UI_PORT, default 8025) and delivers none. Missing only warns: mails then wait in the outbox.
 */
async function startMailpit(resolved: Resolved): Promise<void> {
  if (valueOf('SMTP_URL') || shuttingDown) return;
  try {
    mailpit = await runMailpit({
      smtpPort: launcherPort('MAILPIT_SMTP_PORT', MAILPIT_DEFAULTS.smtpPort),
      uiPort: launcherPort('MAILPIT_UI_PORT', MAILPIT_DEFAULTS.uiPort),
      log: (line) => say('mail', line),
    });
    say('mail', `ready (pid ${mailpit.pid}): Mailpit SMTP ${mailpit.smtpUrl}, web UI ${mailpit.uiUrl}`);
    resolved.values.SMTP_URL = mailpit.smtpUrl;
    resolved.mailpitUiUrl = `http://localhost:${mailpit.uiPort}`;
  } catch (error) {
    // No Go toolchain to build it (GoToolUnavailableError), or it would not start (port taken).
    warn(`Mailpit: ${(error as Error).message}; mails stay in the outbox unsent`);
  }
}

// ---------------------------------------------------------------- main

async function main(): Promise<void> {
  const services = parseServices(process.argv.slice(2));
  loadDotEnv();
  const extraPorts = extraApiPorts();
  const dataDir = dataDirectory();
  const fromCwd = relative(process.cwd(), dataDir);
  const dataDirShown = fromCwd.startsWith('..') ? dataDir : fromCwd || '.';
  process.on('SIGINT', () => {
    if (shuttingDown) for (const child of children) if (child.alive) child.process.kill('SIGKILL');
    void shutdown(0);
  });
  process.on('SIGTERM', () => void shutdown(0));

  const readBy = (key: ConfigKey) =>
    services.some((service) => (CONFIG_SCHEMA[key].services as readonly ServiceName[]).includes(service));
  const needsDatabase = readBy('DATABASE_URL');
  const resolved: Resolved = {
    values: {},
    apiPort: withDefault('API_PORT'),
    webPort: withDefault('WEB_PORT'),
    adminEmail: valueOf('ADMIN_EMAIL') ?? 'admin@stratus.local',
    paymentEnv: {},
  };

  if (needsDatabase) {
    say(
      'postgres',
      valueOf('DATABASE_URL') ? 'using DATABASE_URL' : 'looking for PostgreSQL on 127.0.0.1:5432',
    );
    postgres = await ensurePostgres({
      databaseUrl: valueOf('DATABASE_URL'),
      dataDir,
      log: (line) => say('postgres', line),
    });
    resolved.values.DATABASE_URL = postgres.databaseUrl;
    say('postgres', `ready (${postgres.source}): ${redact(postgres.databaseUrl)}`);
    const eventStore = withDefault('EVENT_STORE');
    const { readModels } = await migrateSchemas(postgres.databaseUrl, eventStore, (line) =>
      say('postgres', line),
    );
    say(
      'postgres',
      `schemas up to date (${eventStore === 'postgres' ? 'event store, ' : ''}read models` +
        (readModels.length ? `; applied ${readModels.join(', ')})` : ')'),
    );
  }

  if (readBy('TEMPORAL_ADDRESS')) {
    if (valueOf('TEMPORAL_ADDRESS')) {
      say('temporal', `using TEMPORAL_ADDRESS ${valueOf('TEMPORAL_ADDRESS')}`);
    } else {
      const starting = startTemporalDevServer({
        signal: temporalStart.abort.signal,
        dataDir,
        port: launcherPort('TEMPORAL_DEV_PORT', TEMPORAL_DEV_DEFAULTS.port),
        uiPort: launcherPort('TEMPORAL_UI_PORT', TEMPORAL_DEV_DEFAULTS.uiPort),
        namespace: withDefault('TEMPORAL_NAMESPACE'),
        log: (line) => say('temporal', line),
        onUnexpectedExit: (code, signal) => {
          if (shuttingDown) return;
          fail(
            `the Temporal dev server exited (${signal ? `signal ${signal}` : `code ${code}`}); ` +
              'provisioning and billing stop until it is back: npm run start:temporal',
          );
        },
      });
      temporalStart.pending = starting;
      temporal = await starting;
      resolved.values.TEMPORAL_ADDRESS = temporal.address;
      say(
        'temporal',
        temporal.reused
          ? `ready (already running): ${temporal.address}`
          : `ready (pid ${temporal.pid}): ${temporal.address}, Web UI ${temporal.uiUrl}`,
      );
    }
  }

  if (readBy('LINODE_API_URL') && !valueOf('LINODE_API_URL')) {
    const simPort = launcherPort('SIM_PORT', SIMULATOR_DEFAULT_PORT);
    const simUrl = `http://127.0.0.1:${simPort}`;
    if (!existsSync(join(REPO_ROOT, SIMULATOR_ENTRIES.sim))) {
      fail(
        `sim: ${SIMULATOR_ENTRIES.sim} is not built (npm run build); the services get ${simUrl}/v4 anyway`,
      );
    } else {
      const token = valueOf('LINODE_TOKEN') ?? SIMULATOR_TOKEN;
      const sshPort = String(launcherPort('SIM_SSH_PORT', SIMULATOR_SSH_DEFAULT_PORT));
      const env: NodeJS.ProcessEnv = {
        SIM_PORT: String(simPort),
        SIM_HOST: '127.0.0.1',
        SIM_TOKEN: token,
        SIM_SSH_PORT: sshPort,
      };
      resolved.simulatorSshPort = sshPort;
      // The simulator's own knobs (instance state delays) pass through when set.
      for (const key of ['SIM_PROVISIONING_MS', 'SIM_BOOTING_MS'] as const) {
        if (process.env[key]) env[key] = process.env[key];
      }
      for (const key of PASSTHROUGH) if (process.env[key] !== undefined) env[key] = process.env[key];
      const sim = startChild('sim', env, () => undefined);
      children.push(sim);
      if (await waitForHttp(`${simUrl}/v4/regions`, () => sim.alive, 30_000, true)) {
        say('sim', `ready: ${simUrl}/v4`);
        resolved.simulatorUrl = simUrl;
      } else if (!shuttingDown) warn(`the Linode simulator did not answer at ${simUrl}`);
    }
    resolved.values.LINODE_API_URL = `${simUrl}/v4`;
    resolved.values.LINODE_TOKEN = valueOf('LINODE_TOKEN') ?? SIMULATOR_TOKEN;
  }

  if (services.includes('api') || services.includes('workers')) await startPaymentProviders(resolved);
  if (services.includes('workers')) await startMailpit(resolved);

  const wantsApi = services.includes('api');
  const { secrets, adminPasswordGenerated } = loadSecrets(dataDir, wantsApi && !valueOf('ADMIN_PASSWORD'));
  resolved.values.JWT_SECRET = valueOf('JWT_SECRET') ?? secrets.JWT_SECRET;
  resolved.values.SECRETS_ENCRYPTION_KEY =
    valueOf('SECRETS_ENCRYPTION_KEY') ?? secrets.SECRETS_ENCRYPTION_KEY;
  resolved.values.ADMIN_EMAIL = resolved.adminEmail;
  resolved.values.ADMIN_PASSWORD = valueOf('ADMIN_PASSWORD') ?? secrets.ADMIN_PASSWORD;
  if (!valueOf('API_URL')) resolved.values.API_URL = `http://localhost:${resolved.apiPort}/api`;
  if (adminPasswordGenerated) {
    say('stratus', paint(33, '┌──────────────────────────────────────────────────────────────'));
    say('stratus', paint(33, `│ Generated the admin login (printed only this once):`));
    say('stratus', paint(33, `│   email:    ${resolved.adminEmail}`));
    say('stratus', paint(33, `│   password: ${resolved.values.ADMIN_PASSWORD}`));
    say('stratus', paint(33, `│ It is kept in ${join(dataDirShown, 'secrets.json')}.`));
    say('stratus', paint(33, '└──────────────────────────────────────────────────────────────'));
  }

  const onUnexpectedExit = () => {
    if (children.every((child) => isSimulator(child.service) || !child.alive)) {
      fail('no service is running any more');
      void shutdown(1);
    }
  };
  for (const service of services) {
    const entry = ENTRY_POINTS[service];
    if (!existsSync(join(REPO_ROOT, entry))) {
      fail(
        `${service}: ${entry} is not built (npm run build${service === 'web' ? ':web' : ''}); not starting it`,
      );
      continue;
    }
    const env = serviceEnv(service, resolved);
    try {
      loadConfig(service, env);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      fail(`${service}: configuration error: ${error.message}; not starting it`);
      continue;
    }
    children.push(startChild(service, env, onUnexpectedExit));
    if (service === 'api') {
      extraPorts.forEach((port, index) => {
        children.push(startChild(`api${index + 2}`, { ...env, API_PORT: port }, onUnexpectedExit));
      });
    }
  }
  if (children.length === 0) {
    fail('nothing to run');
    return shutdown(1);
  }

  const running = (service: ChildName) => children.some((child) => child.service === service && child.alive);
  const apiUrl = `http://localhost:${resolved.apiPort}/api`;
  const webUrl = `http://localhost:${resolved.webPort}`;
  const apis: Array<[ChildName, string]> = [
    ['api', apiUrl],
    ...extraPorts.map((port, index): [ChildName, string] => [
      `api${index + 2}`,
      `http://localhost:${port}/api`,
    ]),
  ];
  const ready: string[] = [];
  for (const [name, url] of apis) {
    if (!running(name)) continue;
    if (await waitForHttp(`${url}/health`, () => running(name), HEALTH_TIMEOUT_MS)) ready.push(name);
    else if (!shuttingDown) warn(`the API did not report healthy at ${url}/health`);
  }
  if (running('web')) {
    if (await waitForHttp(webUrl, () => running('web'), HEALTH_TIMEOUT_MS)) ready.push('web');
    else if (!shuttingDown) warn(`the web portal did not answer at ${webUrl}`);
  }
  if (shuttingDown) return;

  const lines = [
    '',
    'Stratus is running' + (ready.length ? ` (${ready.join(', ')} ready)` : '') + '. Ctrl-C stops it.',
  ];
  if (running('web')) lines.push(`  web portal   ${webUrl}`);
  if (running('api')) {
    lines.push(`  API          ${apiUrl}`, `  OpenAPI      ${apiUrl}/openapi.json`);
    for (const [name, url] of apis.slice(1)) if (running(name)) lines.push(`  ${name.padEnd(13)}${url}`);
    const password = valueOf('ADMIN_PASSWORD')
      ? '(from ADMIN_PASSWORD)'
      : adminPasswordGenerated
        ? resolved.values.ADMIN_PASSWORD
        : `(generated at first start; see ${join(dataDirShown, 'secrets.json')})`;
    lines.push(`  admin login  ${resolved.adminEmail} / ${password}`);
  }
  if (running('workers')) lines.push('  workers      running');
  const temporalAddress = resolved.values.TEMPORAL_ADDRESS ?? valueOf('TEMPORAL_ADDRESS');
  if (temporalAddress) {
    lines.push(`  Temporal     ${temporalAddress} (namespace ${withDefault('TEMPORAL_NAMESPACE')})`);
    if (temporal?.uiUrl) lines.push(`  Temporal UI  ${temporal.uiUrl}`);
  }
  if (resolved.simulatorUrl)
    lines.push(`  Linode sim   ${resolved.simulatorUrl}/v4 (token ${SIMULATOR_TOKEN})`);
  if (resolved.simulatorUrl && resolved.simulatorSshPort)
    lines.push(
      `  server SSH   port ${resolved.simulatorSshPort} on each server's 127.77.x.y address (console)`,
    );
  if (resolved.payPalSimulatorUrl)
    lines.push(
      `  PayPal sim   ${resolved.payPalSimulatorUrl} (client ${resolved.paymentEnv.PAYPAL_CLIENT_ID} / ` +
        `${resolved.paymentEnv.PAYPAL_CLIENT_SECRET}; buyers approve on its /checkoutnow page)`,
    );
  if (resolved.stripeMockUrl)
    lines.push(
      `  stripe-mock  ${resolved.stripeMockUrl} (key ${resolved.paymentEnv.STRIPE_SECRET_KEY}, ` +
        `webhook secret ${resolved.paymentEnv.STRIPE_WEBHOOK_SECRET})`,
    );
  if (resolved.mailpitUiUrl) lines.push(`  Mailpit      ${resolved.mailpitUiUrl} (mail sent by Stratus)`);
  lines.push(`  data         ${dataDirShown}`, '');
  for (const line of lines) say('stratus', paint(1, line));
}

main().catch((error: unknown) => {
  fail(`start failed: ${error instanceof Error ? error.message : String(error)}`);
  void shutdown(1);
});
