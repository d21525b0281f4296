import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { PostgresEventStore, PostgresSnapshotStore } from '@stratus/eventstore';
import { LinodeProvider, SecretBox } from '@stratus/infra';
import { startLinodeSimulator } from '@stratus/infra/linode-simulator';
import { WorkflowSeeding } from '@stratus/infra/dist/seeding/workflow-seeding';
import { ensureTemporalCli } from '@stratus/infra/dist/temporal/temporal-cli';
import { createActivities } from '@stratus/workers/dist/temporal/activities/create-activities';
import { workflowsEntryPath } from '@stratus/workers/dist/temporal/worker';
import {
  provisioningWorkflowId,
  SEARCH_ATTRIBUTE_KEYS,
  WORKFLOW_TYPES,
  type ProvisioningWorkflowInput,
} from '@stratus/workflows';
import { createBenchDatabase } from './bench-database';
import { Figure, figure, percentile, runConcurrently, timeIt } from './harness';

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
 * Provisioning end to end on the real Temporal dev server against the simulator with zero delays, and one
 * billing period for many servers, each beside a baseline measured on the same server in the same run.
 */
export async function temporalBench(options: {
  provisionings: number;
  billedServers: number;
  organizations: number;
}): Promise<Figure[]> {
  const db = await createBenchDatabase('temporal');
  const pool = new Pool({ connectionString: db.url, max: 20 });
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
    let conflictRetries = 0;
    const activities = createActivities({
      eventStore: store,
      snapshots: new PostgresSnapshotStore(pool),
      provider: new LinodeProvider({ baseUrl: simulator.url, token: 'simulator-token' }),
      secretBox,
      log: silent,
      pollIntervalMs: 20,
      onConflictRetry: () => void conflictRetries++,
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

    // Baseline: the same number of concurrent one-activity workflows.
    const noopLatencies: number[] = [];
    const noop = await timeIt(() =>
      runConcurrently(options.provisionings, options.provisionings, async () => {
        const start = performance.now();
        await env.client.workflow.execute('noopWorkflow', {
          taskQueue: `${taskQueue}-noop`,
          workflowId: `noop-${randomUUID()}`,
        });
        noopLatencies.push(performance.now() - start);
      }),
    );

    const orgs = await Promise.all(
      Array.from({ length: options.organizations }, () => seeding.fundedOrganization(1_000_000_000_000n)),
    );
    const vpsIds = await Promise.all(
      Array.from({ length: options.provisionings }, (_, i) =>
        seeding.requestVps(orgs[i % orgs.length], 6849n),
      ),
    );
    const latencies: number[] = [];
    const provisioned = await timeIt(() =>
      runConcurrently(vpsIds.length, vpsIds.length, async (i) => {
        const vpsId = vpsIds[i];
        const input: ProvisioningWorkflowInput = {
          vpsId,
          organizationId: orgs[i % orgs.length],
          runningTimeoutSeconds: 60,
          billing: { periodSeconds: 3600, graceSeconds: 3600 },
        };
        const start = performance.now();
        const result = await env.client.workflow.execute(WORKFLOW_TYPES.provisioning, {
          taskQueue,
          workflowId: provisioningWorkflowId(vpsId),
          args: [input],
        });
        latencies.push(performance.now() - start);
        if ((result as { status?: string })?.status === 'failed')
          throw new Error(`provisioning of ${vpsId} failed`);
      }),
    );
    const history = await env.client.workflow.getHandle(provisioningWorkflowId(vpsIds[0])).fetchHistory();
    const activityCount = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes).length;
    const n = options.provisionings;
    for (const p of [50, 95]) {
      figures.push(
        figure({
          suite: 'temporal',
          name: `${n} concurrent provisionings, end-to-end p${p}`,
          value: percentile(latencies, p),
          unit: 'ms',
          baselineName: `${n} concurrent no-op one-activity workflows p${p}`,
          baseline: percentile(noopLatencies, p),
          higherIsBetter: false,
          notes: `${activityCount} activities per provisioning; total ${provisioned.ms.toFixed(0)} ms vs ${noop.ms.toFixed(0)} ms`,
        }),
      );
    }
    figures.push(
      figure({
        suite: 'temporal',
        name: 'provisioning time per activity (p50 / activities)',
        value: percentile(latencies, 50) / activityCount,
        unit: 'ms',
        baselineName: 'no-op one-activity workflow p50',
        baseline: percentile(noopLatencies, 50),
        higherIsBetter: false,
      }),
    );
    for (const { worker, running } of workers.splice(0)) {
      worker.shutdown();
      await running;
    }

    // One billing period for many servers across few organizations (wallet streams contended).
    const billingOrgs = await Promise.all(
      Array.from({ length: options.organizations }, () => seeding.fundedOrganization(1_000_000_000_000n)),
    );
    const periodStart = '2026-01-01T00:00:00.000Z';
    const periodEnd = '2026-01-01T01:00:00.000Z';
    const servers: string[] = [];
    await runConcurrently(options.billedServers, 20, async (i) => {
      servers.push(await seeding.activeVps(billingOrgs[i % billingOrgs.length], 6849n, periodStart));
    });
    await pool.query(
      'CREATE TABLE bench_plain_charges (id bigserial PRIMARY KEY, vps_id text NOT NULL, amount bigint NOT NULL)',
    );
    const concurrency = 50;
    const plain = await timeIt(() =>
      runConcurrently(servers.length, concurrency, async (i) => {
        await pool.query('INSERT INTO bench_plain_charges (vps_id, amount) VALUES ($1, $2)', [
          servers[i],
          '6849',
        ]);
      }),
    );
    conflictRetries = 0;
    const charged = await timeIt(() =>
      runConcurrently(servers.length, concurrency, async (i) => {
        const result = await activities.chargePeriod({
          vpsId: servers[i],
          periodStart,
          periodEnd,
          periodSeconds: 3600,
          attempt: 1,
        });
        if ((result as { charged?: boolean }).charged === false) throw new Error('charge failed');
      }),
    );
    figures.push(
      figure({
        suite: 'temporal',
        name: `one billing period for ${servers.length} servers in ${options.organizations} organizations (${concurrency} at once)`,
        value: charged.ms,
        unit: 'ms',
        baselineName: `${servers.length} one-row INSERT+COMMITs`,
        baseline: plain.ms,
        higherIsBetter: false,
        notes: `conflict retries per charge: ${(conflictRetries / servers.length).toFixed(3)}`,
      }),
      figure({
        suite: 'temporal',
        name: 'conflict retries per charge',
        value: conflictRetries / servers.length,
        unit: 'retries',
        baselineName: 'servers per organization wallet',
        baseline: servers.length / options.organizations,
        higherIsBetter: false,
      }),
    );
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
