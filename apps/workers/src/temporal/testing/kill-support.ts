import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  streams,
  vpsDecider,
  walletDecider,
  type VpsCommand,
  type VpsEvent,
  type VpsState,
  type WalletCommand,
  type WalletEvent,
  type WalletState,
} from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { SecretBox, SIMULATOR_IMAGES, SIMULATOR_REGIONS, SIMULATOR_TYPES } from '@stratus/infra';

/** The compiled workers process (build first: npx tsc -b tsconfig.build.json). */
export const COMPILED_WORKER = join(__dirname, '..', '..', '..', 'dist', 'main.js');

const context = { actor: { userId: 'test', role: 'admin' }, correlationId: 'test', causationId: 'test' };

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

/** What the API writes before starting a workflow: wallets funded, VpsRequested with an encrypted root password. */
export class KillScenarioStreams {
  readonly executor: CommandExecutor;

  constructor(
    eventStore: ConstructorParameters<typeof CommandExecutor>[0]['eventStore'],
    private readonly secretBox: SecretBox,
  ) {
    this.executor = new CommandExecutor({ eventStore });
  }

  private wallet(organizationId: string, key: string, command: Omit<WalletCommand, 'metadata'>) {
    return this.executor.execute<WalletState, WalletCommand, WalletEvent>({
      streamId: streams.wallet(organizationId),
      decider: walletDecider,
      context,
      idempotencyKey: `kill-test:${organizationId}:${key}`,
      command: (_s, metadata) => ({ ...command, metadata }) as WalletCommand,
    });
  }

  async fundedOrganization(balance: bigint): Promise<string> {
    const organizationId = randomUUID();
    await this.wallet(organizationId, 'open', {
      type: 'OpenWallet',
      data: { walletId: randomUUID(), organizationId },
    });
    if (balance > 0n)
      await this.wallet(organizationId, 'credit', {
        type: 'CreditWallet',
        data: { amount: balance, source: 'staff_credit', reason: 'kill test' },
      });
    return organizationId;
  }

  vpsCommand(vpsId: string, key: string, command: Omit<VpsCommand, 'metadata'>) {
    return this.executor.execute<VpsState, VpsCommand, VpsEvent>({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context,
      idempotencyKey: `kill-test:${vpsId}:${key}`,
      command: (_s, metadata) => ({ ...command, metadata }) as VpsCommand,
    });
  }

  async requestVps(organizationId: string, hourlyPrice: bigint): Promise<string> {
    const vpsId = randomUUID();
    await this.vpsCommand(vpsId, 'request', {
      type: 'RequestVps',
      data: {
        vpsId,
        organizationId,
        label: `kill-${vpsId.slice(0, 8)}`,
        planId: randomUUID(),
        providerPlanId: SIMULATOR_TYPES[0].id,
        region: SIMULATOR_REGIONS[0].id,
        image: SIMULATOR_IMAGES[0].id,
        backups: false,
        sshKeyIds: [],
        encryptedRootPassword: this.secretBox.encrypt('Correct-Horse-Battery-9', vpsId),
        hourlyPrice,
        monthlyPrice: hourlyPrice * 730n,
        idempotencyKey: randomUUID(),
        workflowId: `vps-provisioning-${vpsId}`,
      },
    } as Omit<VpsCommand, 'metadata'>);
    return vpsId;
  }

  async vpsState(vpsId: string): Promise<VpsState> {
    return (await this.executor.load(streams.vps(vpsId), vpsDecider)).state;
  }
}

export interface SimulatorInstance {
  id: number;
  label: string;
  status: string;
  tags: string[];
  deleted: boolean;
  stuck: boolean;
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
