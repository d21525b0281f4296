import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { vpsInstanceLabel, vpsInstanceTags, type VpsCommand } from '@stratus/domain';
import { PostgresEventStore, PostgresSnapshotStore } from '@stratus/eventstore';
import { LinodeProvider, SecretBox } from '@stratus/infra';
import {
  SIMULATOR_IMAGES,
  SIMULATOR_REGIONS,
  SIMULATOR_TYPES,
  startLinodeSimulator,
} from '@stratus/infra/linode-simulator';
import { WorkflowSeeding } from '@stratus/infra/dist/seeding/workflow-seeding';
import { ensureTemporalCli } from '@stratus/infra/dist/temporal/temporal-cli';
import { createActivities } from '@stratus/workers/dist/temporal/activities/create-activities';
import { workflowsEntryPath } from '@stratus/workers/dist/temporal/worker';
import {
  SEARCH_ATTRIBUTE_KEYS,
  VPS_OPERATION_WORKFLOW_TYPES,
  vpsOperationWorkflowId,
  type VpsOperationResult,
  type VpsOperationWorkflowInput,
} from '@stratus/workflows';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, percentile, runConcurrently } from './harness';

const quiet = {
  log: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  trace: () => undefined,
};
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * Rebuild and resize end to end (the request recorded as the API records it, then the operation's workflow: the
 * provider call, the wait for running, the console reset for a rebuild, the completion) on the real Temporal dev
 * server against the simulator with zero delays, beside no-op one-activity workflows run the same way in the same
 * run.
 */
export async function operationsBench(options: {
  operations: number;
  concurrency: number;
}): Promise<Figure[]> {
  const db = await createBenchDatabase('operations');
  const pool = new Pool({ connectionString: db.url, max: 20 });
  // Idle clients are cut when the database is dropped at the end.
  pool.on('error', () => undefined);
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: ensureTemporalCli() },
      searchAttributes: SEARCH_ATTRIBUTE_KEYS,
      extraArgs: ['--log-level', 'error'],
    },
  });
  const simulator = await startLinodeSimulator({ port: 0, delays: { provisioningMs: 0, bootingMs: 0 } });
  const workers: { worker: Worker; running: Promise<void> }[] = [];
  const figures: Figure[] = [];
  try {
    await PostgresEventStore.migrate(pool);
    const store = new PostgresEventStore({ pool });
    const secretBox = new SecretBox(SecretBox.generateKey());
    const seeding = new WorkflowSeeding(store, secretBox, 'bench');
    const provider = new LinodeProvider({ baseUrl: simulator.url, token: 'simulator-token' });
    const activities = createActivities({
      eventStore: store,
      snapshots: new PostgresSnapshotStore(pool),
      provider,
      secretBox,
      log: silent,
      pollIntervalMs: 20,
    });
    const taskQueue = `bench-${randomUUID().slice(0, 8)}`;
    const [bundle, noopBundle] = await Promise.all([
      bundleWorkflowCode({ workflowsPath: workflowsEntryPath(), logger: quiet }),
      bundleWorkflowCode({ workflowsPath: require.resolve('./noop.workflow'), logger: quiet }),
    ]);
    for (const [queue, workflowBundle, acts] of [
      [taskQueue, bundle, activities],
      [`${taskQueue}-noop`, noopBundle, { noop: async () => undefined }],
    ] as const) {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: queue,
        workflowBundle,
        activities: acts,
      });
      workers.push({ worker, running: worker.run() });
    }
    const { operations: n, concurrency } = options;

    const noopLatencies: number[] = [];
    await runConcurrently(n, concurrency, async () => {
      const start = performance.now();
      await env.client.workflow.execute('noopWorkflow', {
        taskQueue: `${taskQueue}-noop`,
        workflowId: `noop-${randomUUID()}`,
      });
      noopLatencies.push(performance.now() - start);
    });

    // Active servers with an instance at the simulator, as provisioning leaves them.
    const organizationId = await seeding.fundedOrganization(1_000_000_000_000n);
    const billedUntil = new Date(Date.now() + 86_400_000).toISOString();
    const servers: string[] = [];
    await runConcurrently(n, 10, async () => {
      const vpsId = await seeding.requestVps(organizationId, 6849n);
      const instance = await provider.createInstance({
        label: vpsInstanceLabel(vpsId, 'bench'),
        region: SIMULATOR_REGIONS[0].id,
        type: SIMULATOR_TYPES[0].id,
        image: SIMULATOR_IMAGES[0].id,
        rootPassword: 'Bench-root-passw0rd',
        tags: vpsInstanceTags(vpsId),
      });
      await seeding.activateVps(
        vpsId,
        { id: instance.id, ipv4: instance.ipv4[0] ?? '192.0.2.1' },
        billedUntil,
      );
      servers.push(vpsId);
    });

    /** Records each server's operation as the API does and runs its workflow; the workflows' latencies. */
    const run = async (
      kind: 'resize' | 'rebuild',
      command: (vpsId: string) => { type: string; data: Record<string, unknown> },
    ) => {
      const latencies: number[] = [];
      await runConcurrently(servers.length, concurrency, async (i) => {
        const vpsId = servers[i];
        const operationId = randomUUID();
        const workflowId = vpsOperationWorkflowId(kind, operationId);
        const request = command(vpsId);
        await seeding.vpsCommand(vpsId, `operation:${operationId}`, {
          ...request,
          data: { ...request.data, operationId, workflowId },
        } as unknown as Omit<VpsCommand, 'metadata'>);
        const input: VpsOperationWorkflowInput = {
          vpsId,
          organizationId,
          operationId,
          runningTimeoutSeconds: 60,
        };
        const start = performance.now();
        const result = (await env.client.workflow.execute(VPS_OPERATION_WORKFLOW_TYPES[kind], {
          taskQueue,
          workflowId,
          args: [input],
        })) as VpsOperationResult;
        latencies.push(performance.now() - start);
        if (result.outcome !== 'completed') throw new Error(`${kind} of ${vpsId} failed: ${result.reason}`);
      });
      return latencies;
    };
    const [small, big] = SIMULATOR_TYPES;
    const resizes = await run('resize', () => ({
      type: 'RequestResize',
      data: {
        plan: {
          planId: randomUUID(),
          providerPlanId: big.id,
          baseMonthlyPrice: 10_000_000n,
          markup: 1_000_000n,
          backupUpcharge: 2_000_000n,
          diskMb: big.disk,
        },
        currentDiskMb: small.disk,
      },
    }));
    const rebuilds = await run('rebuild', (vpsId) => ({
      type: 'RequestRebuild',
      data: {
        image: SIMULATOR_IMAGES[1].id,
        sshKeyIds: [],
        authorizedKeys: [],
        encryptedRootPassword: secretBox.encrypt('Bench-new-passw0rd', vpsId),
        rootLogin: 'password',
      },
    }));

    for (const [kind, latencies] of [
      ['resize', resizes],
      ['rebuild', rebuilds],
    ] as const) {
      figures.push(
        figure({
          suite: 'operations',
          name: `${n} ${kind}s (${concurrency} at once), end-to-end p50`,
          value: percentile(latencies, 50),
          unit: 'ms',
          baselineName: `${n} no-op one-activity workflows (${concurrency} at once) p50`,
          baseline: percentile(noopLatencies, 50),
          higherIsBetter: false,
          notes: `p95 ${percentile(latencies, 95).toFixed(0)} ms vs ${percentile(noopLatencies, 95).toFixed(0)} ms`,
        }),
      );
    }
    return figures;
  } finally {
    for (const { worker, running } of workers) {
      worker.shutdown();
      await running.catch(() => undefined);
    }
    await simulator.close();
    await env.teardown();
    await pool.end().catch(() => undefined);
    await db.drop();
  }
}
