import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The compiled workers process (build first: npx tsc -b tsconfig.build.json). */
export const COMPILED_WORKER = join(__dirname, '..', '..', '..', 'dist', 'main.js');

/** Mulberry32: a seeded PRNG so a failing run's kill schedule can be replayed from the printed seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Polls `check` until it returns true, or fails with `what` (and `describe()` for the diagnosis). */
export async function until(
  check: () => Promise<boolean>,
  what: string,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => Promise<string> | string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      const detail = options.describe ? `\n${await options.describe()}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${detail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 100));
  }
}

/** The compiled worker as a child process that can be SIGKILLed and started again; output kept per start. */
export class KillableWorker {
  /** Output of every start, oldest first. */
  readonly outputs: string[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  get output(): string {
    return this.outputs.at(-1) ?? '';
  }

  get running(): boolean {
    return this.child !== null;
  }

  start(): void {
    const index = this.outputs.push('') - 1;
    const child = spawn(process.execPath, [COMPILED_WORKER], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const append = (chunk: Buffer) => (this.outputs[index] += chunk.toString());
    child.stdout!.on('data', append);
    child.stderr!.on('data', append);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    this.child = child;
  }

  /** Resolves once this start's Temporal worker polls (its log line), or fails if the process died. */
  async temporalStarted(timeoutMs = 60_000): Promise<void> {
    const child = this.child;
    await until(
      async () => {
        if (this.output.includes('workers: temporal worker started')) return true;
        if (child?.exitCode !== null || child?.signalCode) throw new Error(`worker exited:\n${this.output}`);
        return false;
      },
      'the Temporal worker to start',
      { timeoutMs, intervalMs: 25, describe: () => this.output.slice(-3000) },
    );
  }

  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!this.child) return;
    this.child.kill(signal);
    await this.exited;
    this.child = null;
  }
}

export interface SimulatorInstance {
  id: number;
  label: string;
  status: string;
  tags: string[];
  deleted: boolean;
  stuck: boolean;
  ipv4: string[];
  /** What the instance was created with (write-only at Linode; the simulator shows it). */
  authorized_keys: string[];
  /** Reverse DNS by address. */
  rdns: Record<string, string>;
  // ---- rebuild, resize, backups (issue 15) ----
  type: string;
  image: string | null;
  specs: { disk: number };
  backups: { enabled: boolean };
  /** Rebuilds so far (each gives the instance a new SSH host key). */
  host_key_generation: number;
}

/** Every instance the simulator ever held, deleted ones included (GET /__sim/instances). */
export async function simulatorInstances(simulatorUrl: string): Promise<SimulatorInstance[]> {
  const response = await fetch(`${simulatorUrl.replace(/\/v4$/, '')}/__sim/instances`);
  if (!response.ok) throw new Error(`GET /__sim/instances: ${response.status}`);
  return ((await response.json()) as { data: SimulatorInstance[] }).data;
}

export async function addSimulatorFault(
  simulatorUrl: string,
  spec: { operation: string; mode: string; probability?: number; count?: number; seed?: number },
): Promise<void> {
  const response = await fetch(`${simulatorUrl.replace(/\/v4$/, '')}/__sim/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  if (!response.ok) throw new Error(`fault refused: ${response.status} ${await response.text()}`);
}

export async function clearSimulatorFaults(simulatorUrl: string): Promise<void> {
  await fetch(`${simulatorUrl.replace(/\/v4$/, '')}/__sim/faults`, { method: 'DELETE' });
}
