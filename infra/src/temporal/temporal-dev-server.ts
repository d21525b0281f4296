import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Connection } from '@temporalio/client';
import { SearchAttributeType } from '@temporalio/common';
// Exported by the SDK for registering search attributes, not from the package root.
import {
  encodeSearchAttributeIndexedValueType,
  type SearchAttributeKey,
} from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTE_KEYS } from '@stratus/workflows';
import { ensureTemporalCli } from './temporal-cli';

export const TEMPORAL_DEV_DEFAULTS = {
  host: '127.0.0.1',
  port: 7233,
  uiPort: 8233,
  namespace: 'default',
} as const;

export interface TemporalDevServerOptions {
  /** The SQLite file is <dataDir>/temporal.sqlite, so workflows survive restarts. */
  dataDir: string;
  /** Frontend gRPC port on 127.0.0.1 (default 7233). */
  port?: number;
  /** Web UI port (default 8233). */
  uiPort?: number;
  namespace?: string;
  log?: (line: string) => void;
  /** How long to wait for the frontend to answer (default 120 s: the first start creates the SQLite schema). */
  startTimeoutMs?: number;
  /** Called when the server exits without stop() having been called. */
  onUnexpectedExit?: (code: number | null, signal: NodeJS.Signals | null) => void;
  env?: NodeJS.ProcessEnv;
  /** Aborting stops a server still starting (the launcher's Ctrl-C); the promise then rejects. */
  signal?: AbortSignal;
}

export interface TemporalDevServer {
  /** host:port for TEMPORAL_ADDRESS. */
  address: string;
  namespace: string;
  /** Web UI; null when an already-running server was reused (its UI is wherever it was put). */
  uiUrl: string | null;
  /** True when a Temporal server was already answering on the port and is used as is. */
  reused: boolean;
  /** PID of the server process this call started; null when reused. */
  pid: number | null;
  /** Stops the server this call started (SIGTERM, then SIGKILL after 10 s); does nothing when reused. */
  stop(): Promise<void>;
}

const STOP_TIMEOUT_MS = 10_000;

/** `--search-attribute` type names of the CLI for the SDK's types. */
const CLI_TYPE: Record<SearchAttributeType, string> = {
  [SearchAttributeType.TEXT]: 'Text',
  [SearchAttributeType.KEYWORD]: 'Keyword',
  [SearchAttributeType.INT]: 'Int',
  [SearchAttributeType.DOUBLE]: 'Double',
  [SearchAttributeType.BOOL]: 'Bool',
  [SearchAttributeType.DATETIME]: 'Datetime',
  [SearchAttributeType.KEYWORD_LIST]: 'KeywordList',
};

/** The `temporal server start-dev` arguments (exported for tests and for the README's sake). */
export function devServerArgs(options: {
  dbFile: string;
  port: number;
  uiPort: number;
  namespace: string;
  searchAttributes?: readonly SearchAttributeKey<SearchAttributeType>[];
}): string[] {
  const args = [
    'server',
    'start-dev',
    '--ip',
    TEMPORAL_DEV_DEFAULTS.host,
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--db-filename',
    options.dbFile,
    '--namespace',
    options.namespace,
    '--log-level',
    'error',
  ];
  for (const key of options.searchAttributes ?? SEARCH_ATTRIBUTE_KEYS)
    args.push('--search-attribute', `${key.name}=${CLI_TYPE[key.type]}`);
  return args;
}

/** Whether anything accepts TCP connections on host:port. */
function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = createConnection({ host, port });
    const done = (open: boolean) => {
      socket.destroy();
      resolveProbe(open);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Connects and calls GetSystemInfo; null when the frontend does not answer as Temporal within timeoutMs. */
export async function connectTemporal(address: string, timeoutMs: number): Promise<Connection | null> {
  try {
    return await Connection.connect({ address, connectTimeout: timeoutMs });
  } catch {
    return null;
  }
}

/** Registers the Stratus search attributes that a reused server lacks. */
async function registerMissingSearchAttributes(
  connection: Connection,
  namespace: string,
  log: (line: string) => void,
): Promise<void> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = SEARCH_ATTRIBUTE_KEYS.filter((key) => !(key.name in (customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({
    namespace,
    searchAttributes: Object.fromEntries(
      missing.map((key) => [key.name, encodeSearchAttributeIndexedValueType(key.type)!]),
    ),
  });
  log(`registered search attributes ${missing.map((key) => key.name).join(', ')}`);
}

/**
 * Runs `temporal server start-dev` (the pinned CLI, found or built by ensureTemporalCli) on 127.0.0.1:<port>
 * with its state in <dataDir>/temporal.sqlite, the Web UI on <uiPort> and Stratus's search attributes, and
 * resolves once the frontend answers GetSystemInfo. When a Temporal server already answers on the port it is
 * reused (its missing search attributes registered) instead.
 *
 * The server runs in its own process group so a terminal's Ctrl-C reaches only the launcher, which stops
 * the services first and Temporal last.
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const log = options.log ?? (() => undefined);
  const port = options.port ?? TEMPORAL_DEV_DEFAULTS.port;
  const uiPort = options.uiPort ?? TEMPORAL_DEV_DEFAULTS.uiPort;
  const namespace = options.namespace ?? TEMPORAL_DEV_DEFAULTS.namespace;
  const host = TEMPORAL_DEV_DEFAULTS.host;
  const address = `${host}:${port}`;
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;

  if (await portAnswers(host, port)) {
    const existing = await connectTemporal(address, 5000);
    if (!existing) {
      throw new Error(
        `port ${port} on ${host} is in use by something that is not a Temporal server; ` +
          `stop it, or set TEMPORAL_DEV_PORT to another port, or TEMPORAL_ADDRESS to your own server`,
      );
    }
    try {
      log(`a Temporal server already answers on ${address}; using it`);
      await registerMissingSearchAttributes(existing, namespace, log);
    } finally {
      await existing.close();
    }
    return { address, namespace, uiUrl: null, reused: true, pid: null, stop: async () => undefined };
  }

  const cli = ensureTemporalCli(log, options.env);
  mkdirSync(options.dataDir, { recursive: true });
  const dbFile = join(options.dataDir, 'temporal.sqlite');
  const args = devServerArgs({ dbFile, port, uiPort, namespace });
  const child: ChildProcess = spawn(cli, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: options.env ?? process.env,
  });
  let stopping = false;
  let started = false;
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  const recent: string[] = [];
  const exited = new Promise<void>((resolveExit) => {
    child.once('error', (error) => {
      exitInfo ??= { code: null, signal: null };
      recent.push(`failed to run ${cli}: ${error.message}`);
      resolveExit();
    });
    child.once('exit', (code, signal) => {
      exitInfo = { code, signal };
      if (!stopping && started) options.onUnexpectedExit?.(code, signal);
      resolveExit();
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
      if (stopping || !line.trim()) return; // the CLI's own shutdown chatter
      recent.push(line);
      if (recent.length > 20) recent.shift();
      log(line);
    });
  }

  const stop = async (): Promise<void> => {
    if (exitInfo) return;
    stopping = true;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      log(`did not stop within ${STOP_TIMEOUT_MS / 1000}s; killing it`);
      child.kill('SIGKILL');
    }, STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };

  const onAbort = () => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  log(`starting ${['temporal', ...args.slice(0, 2)].join(' ')} on ${address} (state in ${dbFile})`);
  const deadline = Date.now() + startTimeoutMs;
  for (;;) {
    if (exitInfo || options.signal?.aborted) {
      await stop();
      if (options.signal?.aborted) throw new Error('the Temporal dev server start was cancelled');
      const info = exitInfo as unknown as { code: number | null; signal: NodeJS.Signals | null } | null;
      throw new Error(
        `the Temporal dev server exited before answering (${info?.signal ? `signal ${info.signal}` : `code ${info?.code}`})` +
          (recent.length ? `:\n${recent.join('\n')}` : ''),
      );
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(
        `the Temporal dev server did not answer on ${address} within ${startTimeoutMs / 1000}s`,
      );
    }
    const connection = await connectTemporal(address, 1000);
    if (connection) {
      await connection.close();
      break;
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 250));
  }
  options.signal?.removeEventListener('abort', onAbort);
  started = true;
  return {
    address,
    namespace,
    uiUrl: `http://localhost:${uiPort}`,
    reused: false,
    pid: child.pid ?? null,
    stop,
  };
}
