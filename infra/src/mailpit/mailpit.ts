/**
 * Mailpit (an SMTP server that keeps every message, with a web UI and an HTTP API) as a child process on loopback:
 * the development and test stand-in for a real SMTP relay. The binary is built from its Go module into the cache
 * (go-tools/go-tool.ts, MAILPIT). Messages live in a temporary database that goes away with the process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { ensureGoTool, MAILPIT } from '../go-tools/go-tool';
import { freePort } from '../simulation/http-server';

export const MAILPIT_DEFAULTS = { smtpPort: 1025, uiPort: 8025, host: '127.0.0.1' } as const;

export interface MailpitOptions {
  /** SMTP port; default 1025, 0 picks a free port. */
  smtpPort?: number;
  /** Web UI and API port; default 8025, 0 picks a free port. */
  uiPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * Only recipients matching this regular expression are accepted; the others are refused with a permanent 5xx
   * (tests of undeliverable addresses).
   */
  allowedRecipients?: string;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for it to answer; default 30 s. */
  readyTimeoutMs?: number;
}

export interface Mailpit {
  /** e.g. smtp://127.0.0.1:1025 (what SMTP_URL takes). */
  smtpUrl: string;
  /** The web UI, and its API under /api/v1, e.g. http://127.0.0.1:8025. */
  uiUrl: string;
  host: string;
  smtpPort: number;
  uiPort: number;
  pid: number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it has exited. */
  stop(): Promise<void>;
}

async function startOnce(
  binary: string,
  host: string,
  smtpPort: number,
  uiPort: number,
  options: MailpitOptions,
): Promise<{ child: ChildProcess; stop: () => Promise<void> }> {
  const args = [
    '--smtp',
    `${host}:${smtpPort}`,
    '--listen',
    `${host}:${uiPort}`,
    '--smtp-disable-rdns',
    '--disable-version-check',
    '--max',
    '10000',
    '--quiet',
  ];
  if (options.allowedRecipients) args.push('--smtp-allowed-recipients', options.allowedRecipients);
  const child = spawn(binary, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 50) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };
  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => (gone = true));
  while (!gone && Date.now() < deadline) {
    try {
      const response = await fetch(`http://${host}:${uiPort}/readyz`, { signal: AbortSignal.timeout(1_000) });
      await response.body?.cancel();
      if (response.ok) return { child, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolveDelay) => setTimeout(resolveDelay, 100));
  }
  await stop();
  const said = output.join('').trim();
  throw new Error(
    `Mailpit ${gone ? `exited (code ${child.exitCode})` : 'did not answer'} on ${host}:${smtpPort}/${uiPort}` +
      (said ? `: ${said.split('\n').slice(-3).join(' ')}` : ''),
  );
}

/** Starts Mailpit (building it first when the cache has none) and resolves once its API answers. */
export async function runMailpit(options: MailpitOptions = {}): Promise<Mailpit> {
  const host = options.host ?? MAILPIT_DEFAULTS.host;
  const binary = ensureGoTool(MAILPIT, options.log, options.env);
  const wantedSmtp = options.smtpPort ?? MAILPIT_DEFAULTS.smtpPort;
  const wantedUi = options.uiPort ?? MAILPIT_DEFAULTS.uiPort;
  // A free port can be taken between the probe and the child's bind: try others.
  for (let attempt = 1; ; attempt++) {
    const smtpPort = wantedSmtp === 0 ? await freePort(host) : wantedSmtp;
    const uiPort = wantedUi === 0 ? await freePort(host) : wantedUi;
    try {
      const { child, stop } = await startOnce(binary, host, smtpPort, uiPort, options);
      return {
        smtpUrl: `smtp://${host}:${smtpPort}`,
        uiUrl: `http://${host}:${uiPort}`,
        host,
        smtpPort,
        uiPort,
        pid: child.pid!,
        stop,
      };
    } catch (error) {
      if ((wantedSmtp !== 0 && wantedUi !== 0) || attempt >= 3) throw error;
    }
  }
}
