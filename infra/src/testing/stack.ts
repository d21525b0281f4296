/**
 * Test support for end-to-end tests that start the whole system through the launcher (`infra/dist/scripts/start.js`,
 * build first): free ports for everything it opens (so a developer's running instance is untouched), a fresh
 * database and data directory, the "Stratus is running" banner awaited, the output collected, and a stop that never
 * leaves a process behind. Imported by apps/web tests through a relative path, so only node built-ins here.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from '../simulation/http-server';
import { createTestDatabase, type TestDatabase } from './test-database';

const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const LAUNCHER = join(REPO_ROOT, 'infra', 'dist', 'scripts', 'start.js');
/**
 * Where the pinned Temporal CLI, stripe-mock and Mailpit are found or cached (go-tools/go-tool.ts): without them a test would
 * build them again.
 */
const FORWARDED_ENV = [
  'STRATUS_CACHE_DIR',
  'XDG_CACHE_HOME',
  'TEMPORAL_CLI_PATH',
  'STRIPE_MOCK_PATH',
  'MAILPIT_PATH',
] as const;

export { freePort };

/** Polls until `probe` returns a value (not undefined); the deadline error shows the last thing seen. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<{ value?: T; seen: unknown }>,
  timeoutMs: number,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { value, seen } = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(seen)}`,
      );
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are asserted field by field
export type Json = any;

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: Json;
}

export type ApiCall = (
  method: string,
  path: string,
  options?: { token?: string; body?: unknown; headers?: Record<string, string> },
) => Promise<ApiResponse>;

/** A JSON client for `baseUrl` (e.g. `stack.urls.api`): bearer token, JSON body, the parsed answer. */
export function apiCall(baseUrl: string): ApiCall {
  return async (method, path, options = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  };
}

export interface StackOptions {
  /** Names the database (`stratus_<name>`, dashes as underscores) and the data directory (`stratus-<name>-…`). */
  name: string;
  /** Variables for the launcher and its services (ADMIN_EMAIL, BILLING_PERIOD_SECONDS…); they win over ours. */
  env?: Record<string, string>;
  /** Services to start (`start.js api workers`); all of them when absent. */
  services?: string[];
  /** How long the launcher may take to print its banner (Temporal and the services starting). */
  bannerTimeoutMs?: number;
  /** API instances to run over the one database and Temporal (API_EXTRA_PORTS); default 1. */
  apiInstances?: number;
}

export interface Stack {
  urls: {
    api: string;
    /** Every API instance (the first is `api`), when apiInstances asked for more. */
    apis: string[];
    web: string;
    sim: string;
    /** The PayPal simulator (PAYPAL_API_URL) and stripe-mock (STRIPE_API_URL) the launcher started. */
    paypal: string;
    stripe: string;
    metrics: string;
    temporalUi: string;
    /** The launcher's Mailpit (web UI and API; `mailpitClient(urls.mailpit)` reads what the workers sent). */
    mailpit: string;
  };
  /** host:port of the launcher's Temporal dev server. */
  temporalAddress: string;
  /** The port the simulator's servers answer SSH on (at their 127.77.x.y addresses). */
  simSshPort: number;
  db: TestDatabase;
  dataDir: string;
  /** Everything the launcher printed so far (stdout and stderr). */
  output(): string;
  /** PIDs the launcher reported: "<name> │ started (pid N)" for services and simulator, "ready (pid N)" for Temporal. */
  pids(): Record<string, number>;
  /** Ctrl-C: resolves with the launcher's exit code once it has stopped everything. */
  interrupt(): Promise<number | null>;
  /** Stops whatever still runs (SIGINT, then SIGKILL), kills leftover children, drops the database and data dir. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 20_000;

/** Starts the launcher on free ports over a fresh database; resolves once it prints "Stratus is running". */
export async function startStack(options: StackOptions): Promise<Stack> {
  const db = await createTestDatabase(`stratus_${options.name.replace(/-/g, '_')}`);
  const dataDir = mkdtempSync(join(tmpdir(), `stratus-${options.name}-`));
  const [
    apiPort,
    metricsPort,
    temporalPort,
    temporalUiPort,
    simPort,
    simSshPort,
    webPort,
    payPalSimPort,
    stripeMockPort,
    mailpitSmtpPort,
    mailpitUiPort,
  ] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  const extraApiPorts: number[] = [];
  for (let n = 1; n < (options.apiInstances ?? 1); n++) extraApiPorts.push(await freePort());
  const forwarded: Record<string, string> = {};
  for (const key of FORWARDED_ENV) if (process.env[key]) forwarded[key] = process.env[key]!;
  const child: ChildProcess = spawn(process.execPath, [LAUNCHER, ...(options.services ?? [])], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      ...forwarded,
      NO_COLOR: '1',
      TEMPORAL_DEV_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(temporalUiPort),
      SIM_PORT: String(simPort),
      SIM_SSH_PORT: String(simSshPort),
      PAYPAL_SIM_PORT: String(payPalSimPort),
      STRIPE_MOCK_PORT: String(stripeMockPort),
      MAILPIT_SMTP_PORT: String(mailpitSmtpPort),
      MAILPIT_UI_PORT: String(mailpitUiPort),
      DATABASE_URL: db.url,
      STRATUS_DATA_DIR: dataDir,
      API_PORT: String(apiPort),
      ...(extraApiPorts.length ? { API_EXTRA_PORTS: extraApiPorts.join(',') } : {}),
      WEB_PORT: String(webPort),
      WORKERS_METRICS_PORT: String(metricsPort),
      // Most journeys create servers for users who never open their mail; the accounts journey sets it true.
      REQUIRE_VERIFIED_EMAIL: 'false',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));

  const pids = (): Record<string, number> => {
    const found: Record<string, number> = {};
    for (const match of output.matchAll(/^(\w+)\s*│ (?:started|ready) \(pid (\d+)\)/gm))
      found[match[1]] = Number(match[2]);
    return found;
  };
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((res) => (timer = setTimeout(res, STOP_GRACE_MS)))]);
      clearTimeout(timer);
    }
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // Temporal runs in its own process group; never leave anything behind when a test fails midway.
    for (const pid of Object.values(pids())) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
    await db.drop();
  };

  try {
    await waitFor(
      '"Stratus is running"',
      async () => {
        if (output.includes('Stratus is running')) return { value: true, seen: 'the banner' };
        if (child.exitCode !== null || child.signalCode !== null)
          throw new Error(`start.js exited (${child.exitCode ?? child.signalCode}) before its banner`);
        return { seen: 'no banner' };
      },
      options.bannerTimeoutMs ?? 180_000,
    );
  } catch (error) {
    const message = `${(error as Error).message}\n--- start.js output ---\n${output}`;
    await stop();
    throw new Error(message);
  }

  return {
    urls: {
      // As the launcher's banner shows them; the portal's origin must be exactly this (ORIGIN, console origins).
      api: `http://localhost:${apiPort}/api`,
      apis: [apiPort, ...extraApiPorts].map((port) => `http://localhost:${port}/api`),
      web: `http://localhost:${webPort}`,
      sim: `http://127.0.0.1:${simPort}`,
      paypal: `http://127.0.0.1:${payPalSimPort}`,
      stripe: `http://127.0.0.1:${stripeMockPort}`,
      metrics: `http://127.0.0.1:${metricsPort}/metrics`,
      temporalUi: `http://localhost:${temporalUiPort}`,
      mailpit: `http://127.0.0.1:${mailpitUiPort}`,
    },
    temporalAddress: `127.0.0.1:${temporalPort}`,
    simSshPort,
    db,
    dataDir,
    output: () => output,
    pids,
    interrupt: () => {
      child.kill('SIGINT');
      return exited;
    },
    stop,
  };
}
