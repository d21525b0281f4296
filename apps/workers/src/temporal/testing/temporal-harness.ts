import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import {
  bundleWorkflowCode,
  NativeConnection,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import {
  reconcileBilling,
  streams,
  vpsInstanceLabel,
  vpsInstanceTag,
  vpsInstanceTags,
  walletBalanceOf,
  type ReconciliationReport,
  type VpsCommand,
  type VpsState,
  type WalletEvent,
} from '@stratus/domain';
import { PostgresEventStore, PostgresSnapshotStore } from '@stratus/eventstore';
import { LinodeProvider, SecretBox, type PaymentProviderLookup } from '@stratus/infra';
import {
  SIMULATOR_IMAGES,
  SIMULATOR_REGIONS,
  SIMULATOR_TYPES,
  startLinodeSimulator,
  type LinodeSimulator,
} from '@stratus/infra/linode-simulator';
import {
  createTemporalTestEnvironment,
  createTestDatabase,
  SEEDED_ROOT_PASSWORD,
  WorkflowSeeding,
  type TestDatabase,
} from '@stratus/infra/testing';
import { postgresBillingDirectory, postgresStuckDeletions } from '@stratus/projections';
import {
  ACTIVITY_FAILURE_TYPES,
  TASK_QUEUE,
  type ProvisioningWorkflowInput,
  type StratusActivities,
} from '@stratus/workflows';
import { createActivities, type ActivityDependencies } from '../activities/create-activities';
import { billingDeletionSignaller, billingTopUpSignaller, workflowsEntryPath } from '../worker';
import {
  addSimulatorFault,
  clearSimulatorFaults,
  simulatorInstances,
  type SimulatorInstance,
} from './kill-support';

export const TEST_KEY = Buffer.alloc(32, 9).toString('base64');
/** The workflow bundler's logger, silent. */
export const QUIET_BUNDLER_LOGGER = {
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
};
/** How long a 'silent' activity fault stays silent: past ACTIVITY_HEARTBEAT_TIMEOUT, short of start-to-close. */
export const SILENT_FAULT_MS = 20_000;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * A failure injected in front of (or behind) a real activity, for the failures the simulator cannot make
 * (a domain refusal, an answer lost after the effect was committed).
 */
export interface ActivityFault {
  activity: keyof StratusActivities;
  /** Only calls for this server (every call when absent). */
  vpsId?: string;
  /** Only calls whose input matches (e.g. one provisioning stage). */
  when?: (input: Record<string, unknown>) => boolean;
  /**
   * 'before': the call fails without running; 'after': it runs, then its answer is lost; 'silent': like a worker
   * killed mid-call, neither answer nor heartbeat for SILENT_FAULT_MS (then it fails; the server has moved on).
   */
  at: 'before' | 'after' | 'silent';
  /** Non-retryable failures are typed DomainRejected (a refusal); retryable ones stand for a blip. */
  nonRetryable: boolean;
  /** How many calls fail; unlimited when absent. */
  times?: number;
}

/** One suite's real parts: PostgreSQL database, Temporal dev server, Linode simulator, a bundled worker. */
export class TemporalHarness {
  env!: TestWorkflowEnvironment;
  database!: TestDatabase;
  pool!: Pool;
  store!: PostgresEventStore;
  /** Wallets and servers written as the API writes them (the one seeding helper, shared with the benchmarks). */
  seeding!: WorkflowSeeding;
  simulator!: LinodeSimulator;
  bundle!: WorkflowBundleWithSourceMap;
  secretBox = new SecretBox(TEST_KEY);
  taskQueue = `${TASK_QUEUE}-${randomUUID().slice(0, 8)}`;
  /** The payment providers the workers' payment activities ask (set before startWorker; none by default). */
  paymentProviders: PaymentProviderLookup | null = null;
  private workers: { worker: Worker; running: Promise<void> }[] = [];
  private activityFaults: (ActivityFault & { fired: number })[] = [];

  /** `simulatorSsh`: the simulator's servers answer SSH (loopback addresses, a free port: simulator.ssh). */
  constructor(private readonly options: { simulatorSsh?: boolean } = {}) {}

  async setUp(): Promise<void> {
    [this.env, this.database, this.simulator, this.bundle] = await Promise.all([
      createTemporalTestEnvironment(),
      createTestDatabase('stratus_temporal'),
      startLinodeSimulator({
        port: 0,
        delays: { provisioningMs: 0, bootingMs: 0 },
        ...(this.options.simulatorSsh ? { sshPort: 0 } : {}),
      }),
      bundleWorkflowCode({
        workflowsPath: workflowsEntryPath(),
        logger: QUIET_BUNDLER_LOGGER,
      }),
    ]);
    this.pool = new Pool({ connectionString: this.database.url, max: 10 });
    // pg: a pool without an error listener crashes the process when an idle client is lost (e.g. terminated).
    this.pool.on('error', () => undefined);
    await PostgresEventStore.migrate(this.pool);
    this.store = new PostgresEventStore({ pool: this.pool, ownsPool: false });
    this.seeding = new WorkflowSeeding(this.store, this.secretBox);
  }

  async tearDown(): Promise<void> {
    await Promise.all(
      this.workers.map(async ({ worker, running }) => {
        if (worker.getState() === 'RUNNING') worker.shutdown();
        await running.catch(() => undefined);
      }),
    );
    await this.env?.teardown();
    await this.simulator?.close();
    await this.store?.close();
    await this.pool?.end();
    await this.database?.drop();
  }

  provider() {
    return new LinodeProvider({
      baseUrl: this.simulator.url,
      token: 'simulator-token',
      maxRetries: 0,
      timeoutMs: 2000,
    });
  }

  /**
   * A worker on the suite's task queue; `onActivity` sees each activity call it runs (which worker did what).
   * `ownConnection`: its own connection to the server, as a second worker process would have (the SDK refuses
   * two workers of one task queue on one connection).
   */
  async startWorker(
    options: {
      onActivity?: (name: string) => void;
      ownConnection?: boolean;
      /** The activities' clock (default the real one), and directories standing in for the read models. */
      dependencies?: Partial<Pick<ActivityDependencies, 'clock' | 'meteredServers' | 'billingDirectory'>>;
    } = {},
  ): Promise<Worker> {
    const billingDirectory =
      options.dependencies?.billingDirectory ??
      postgresBillingDirectory((text, values) => this.pool.query(text, values));
    const activities = createActivities({
      eventStore: this.store,
      snapshots: new PostgresSnapshotStore(this.pool),
      provider: this.provider(),
      secretBox: this.secretBox,
      // The read models, when an API shares this database (a reconciliation of every organization needs them).
      billingDirectory,
      stuckDeletions: postgresStuckDeletions((text, values) => this.pool.query(text, values)),
      signalDeletion: billingDeletionSignaller(this.env.client),
      paymentProviders: this.paymentProviders,
      signalTopUp: billingTopUpSignaller(this.env.client, billingDirectory),
      log: silent,
      pollIntervalMs: 50,
      ...options.dependencies,
    });
    const connection = options.ownConnection
      ? await NativeConnection.connect({ address: this.env.address })
      : this.env.nativeConnection;
    const worker = await Worker.create({
      connection,
      taskQueue: this.taskQueue,
      workflowBundle: this.bundle,
      activities: this.withFaults(activities, options.onActivity),
      shutdownGraceTime: '2s',
    });
    const running = worker.run();
    this.workers.push({
      worker,
      running: options.ownConnection ? running.finally(() => connection.close()) : running,
    });
    return worker;
  }

  /** Fails matching activity calls from now on (see ActivityFault); returns how many times it has fired. */
  injectActivityFault(fault: ActivityFault): { fired: () => number } {
    const entry = { ...fault, fired: 0 };
    this.activityFaults.push(entry);
    return { fired: () => entry.fired };
  }

  clearActivityFaults(): void {
    this.activityFaults = [];
  }

  private withFaults(activities: StratusActivities, onActivity?: (name: string) => void): StratusActivities {
    const wrapped: Record<string, (input: Record<string, unknown>) => Promise<unknown>> = {};
    for (const [name, run] of Object.entries(activities) as [
      string,
      (input: Record<string, unknown>) => Promise<unknown>,
    ][]) {
      wrapped[name] = async (input) => {
        onActivity?.(name);
        const fault = this.activityFaults.find(
          (f) =>
            f.activity === name &&
            (f.vpsId === undefined || f.vpsId === input.vpsId) &&
            (f.when?.(input) ?? true) &&
            (f.times === undefined || f.fired < f.times),
        );
        if (fault) fault.fired += 1;
        const failure = () =>
          ApplicationFailure.create({
            message: `injected ${fault?.nonRetryable ? 'refusal' : 'failure'} ${fault?.at} ${name}`,
            type: fault?.nonRetryable ? ACTIVITY_FAILURE_TYPES.domainRejected : 'InjectedFailure',
            nonRetryable: fault?.nonRetryable ?? false,
          });
        if (fault?.at === 'before') throw failure();
        if (fault?.at === 'silent') {
          await new Promise((resolve) => setTimeout(resolve, SILENT_FAULT_MS));
          throw failure();
        }
        const result = await run(input);
        if (fault?.at === 'after') throw failure();
        return result;
      };
    }
    return wrapped as unknown as StratusActivities;
  }

  /** An organization with an open wallet holding `balance` micros. */
  fundedOrganization(balance: bigint): Promise<string> {
    return this.seeding.fundedOrganization(balance);
  }

  credit(organizationId: string, amount: bigint): Promise<void> {
    return this.seeding.credit(organizationId, amount);
  }

  /** What the API does: VpsRequested (root password encrypted with AAD = vpsId). */
  requestVps(organizationId: string, hourlyPrice = 1_000_000n): Promise<string> {
    return this.seeding.requestVps(organizationId, hourlyPrice);
  }

  /**
   * A server already active, as provisioning leaves it (an instance tagged for it at the simulator,
   * VpsInstanceCreated, VpsActivated with `billedUntil`), for billing tests that start billingWorkflow
   * directly, e.g. with billedUntil far in the past so that many periods are due at once.
   */
  async activeServer(organizationId: string, hourlyPrice: bigint, billedUntil: string): Promise<string> {
    // Requested one hour before billedUntil, as provisioning leaves it: its first hour lies before the billed periods.
    const requestedAt = new Date(Date.parse(billedUntil) - 3_600_000);
    const vpsId = await this.seeding.requestVps(organizationId, hourlyPrice, requestedAt);
    const instance = await this.provider().createInstance({
      label: vpsInstanceLabel(vpsId, 'seeded'),
      region: SIMULATOR_REGIONS[0].id,
      type: SIMULATOR_TYPES[0].id,
      image: SIMULATOR_IMAGES[0].id,
      rootPassword: SEEDED_ROOT_PASSWORD,
      backupsEnabled: false,
      tags: vpsInstanceTags(vpsId),
    });
    await this.seeding.activateVps(
      vpsId,
      { id: instance.id, ipv4: instance.ipv4[0] ?? '192.0.2.10' },
      billedUntil,
    );
    return vpsId;
  }

  /** Every run of a workflow, first to last, following continueAsNew. */
  async runHistories(workflowId: string, firstRunId: string) {
    const runs = [];
    for (let runId: string | undefined = firstRunId; runId;) {
      const history = await this.env.client.workflow.getHandle(workflowId, runId).fetchHistory();
      runs.push({ runId, history });
      runId =
        history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ??
        undefined;
    }
    return runs;
  }

  vpsCommand(vpsId: string, key: string, command: Omit<VpsCommand, 'metadata'>) {
    return this.seeding.vpsCommand(vpsId, key, command);
  }

  provisioningInput(
    vpsId: string,
    organizationId: string,
    overrides: Partial<ProvisioningWorkflowInput> = {},
  ): ProvisioningWorkflowInput {
    return {
      vpsId,
      organizationId,
      runningTimeoutSeconds: 5,
      billing: { periodSeconds: 1, graceSeconds: 1 },
      providerRetry: { maximumAttempts: 2, initialIntervalMs: 100 },
      ...overrides,
    };
  }

  vpsState(vpsId: string): Promise<VpsState> {
    return this.seeding.vpsState(vpsId);
  }

  async vpsEvents(vpsId: string) {
    return this.store.readStream(streams.vps(vpsId));
  }

  async walletEvents(organizationId: string): Promise<(WalletEvent & { id: string })[]> {
    return (await this.store.readStream(streams.wallet(organizationId))).map(
      (e) => ({ id: e.id, type: e.type, data: e.data }) as WalletEvent & { id: string },
    );
  }

  /** The reconciliation over the organization's wallet and these servers' streams, every period so far (1 s periods). */
  async reconcile(organizationId: string, vpsIds: readonly string[]): Promise<ReconciliationReport> {
    const read = [streams.wallet(organizationId), ...vpsIds.map((vpsId) => streams.vps(vpsId))];
    const events = (await Promise.all(read.map((streamId) => this.store.readStream(streamId)))).flat();
    return reconcileBilling(
      {
        from: '2000-01-01T00:00:00.000Z',
        to: new Date(Date.now() + 3_600_000).toISOString(),
        periodSeconds: 1,
      },
      events.map((e) => ({
        id: e.id,
        streamId: e.streamId,
        type: e.type,
        data: e.data,
        occurredAt: e.metadata.occurredAt,
      })),
    );
  }

  async balance(organizationId: string): Promise<bigint> {
    return walletBalanceOf(await this.walletEvents(organizationId));
  }

  simInstances(): Promise<SimulatorInstance[]> {
    return simulatorInstances(this.simulator.url);
  }

  async instancesOf(vpsId: string): Promise<SimulatorInstance[]> {
    return (await this.simInstances()).filter((i) => i.tags.includes(vpsInstanceTag(vpsId)));
  }

  fault(spec: { operation: string; mode: string; count?: number }): Promise<void> {
    return addSimulatorFault(this.simulator.url, spec);
  }

  clearFaults(): Promise<void> {
    return clearSimulatorFaults(this.simulator.url);
  }

  async release(instanceId: number): Promise<void> {
    const response = await fetch(
      `${this.simulator.url.replace(/\/v4$/, '')}/__sim/instances/${instanceId}/release`,
      { method: 'POST' },
    );
    if (!response.ok) throw new Error(`release refused: ${response.status}`);
  }
}

/** Polls until `check` returns a value (not undefined/false), or fails with `what`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
