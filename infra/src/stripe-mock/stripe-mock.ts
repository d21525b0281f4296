/**
 * stripe-mock (Stripe's own API mock: every request is validated against Stripe's OpenAPI specification, answers
 * come from its fixtures) as a child process on loopback. It is stateless: a Checkout Session it creates is never
 * paid, so flows are completed by webhooks signed with the `stripe` library's test-header helper. The binary is
 * built from its Go module into the cache (go-tools/go-tool.ts, STRIPE_MOCK).
 */
import { ChildProcess, spawn } from 'node:child_process';
import { ensureGoTool, STRIPE_MOCK } from '../go-tools/go-tool';
import { freePort } from '../simulation/http-server';

export const STRIPE_MOCK_DEFAULTS = { port: 12111, host: '127.0.0.1' } as const;

export interface StripeMockOptions {
  /** Default 12111 (stripe-mock's own); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for it to answer; default 30 s. */
  readyTimeoutMs?: number;
}

export interface StripeMock {
  /** e.g. http://127.0.0.1:12111 (what STRIPE_API_URL takes, like https://api.stripe.com). */
  url: string;
  host: string;
  port: number;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
  stop(): Promise<void>;
}

function stopper(child: ChildProcess, exited: Promise<void>): () => Promise<void> {
  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
}

async function startOnce(binary: string, host: string, port: number, options: StripeMockOptions) {
  // It also serves HTTPS, on 12112 unless told otherwise: a port the system picks, so two can run side by side.
  const bind = host.includes(':') ? `[${host}]` : host;
  const child = spawn(binary, ['-http-addr', `${bind}:${port}`, '-https-addr', `${bind}:`], {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = stopper(child, exited);
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => (gone = true));
  while (!gone && Date.now() < deadline) {
    try {
      // Any answer will do (401 without a key): it is listening.
      const response = await fetch(`${url}/v1/customers`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      return { child, url, stop };
    } catch {
      await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
    }
  }
  await stop();
  const said = output.join('').trim();
  throw new Error(
    `stripe-mock ${gone ? `exited (code ${child.exitCode})` : 'did not answer'} on ${host}:${port}` +
      (said ? `: ${said.split('\n').slice(-3).join(' ')}` : ''),
  );
}

/** Starts stripe-mock (building it first when the cache has none) and resolves once it answers. */
export async function runStripeMock(options: StripeMockOptions = {}): Promise<StripeMock> {
  const host = options.host ?? STRIPE_MOCK_DEFAULTS.host;
  const binary = ensureGoTool(STRIPE_MOCK, options.log, options.env);
  const wanted = options.port ?? STRIPE_MOCK_DEFAULTS.port;
  // A free port can be taken between the probe and the child's bind: try another one.
  for (let attempt = 1; ; attempt++) {
    const port = wanted === 0 ? await freePort(host) : wanted;
    try {
      const { child, url, stop } = await startOnce(binary, host, port, options);
      return { url, host, port, pid: child.pid!, stop };
    } catch (error) {
      if (wanted !== 0 || attempt >= 3) throw error;
    }
  }
}
