/**
 * Records the replay fixtures of the pre-patch branches: for every `patched('<id>')` in workflows/src, a history
 * written by the workflow code as it was in the commit before the one that introduced the patch (taken from git,
 * bundled as it was), run by today's activities against the real Temporal dev server, PostgreSQL and the Linode
 * simulator. workflows/src/replay.int.spec.ts replays them with today's code, where the patch must take the old
 * branch: a patch removed (or its old branch changed) fails there. Run from a git checkout after a build:
 *   npx tsc -b tsconfig.build.json
 *   npx jest --selectProjects int --testMatch '**' + '/pre-patch-fixtures.record.ts'
 * A new `patched()` needs its scenario here (the replay test checks every id has its pre-patch fixture).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import {
  billingWorkflowId,
  deleteServerSignal,
  PRE_PATCH_FIXTURE_PREFIX,
  provisioningWorkflowId,
  type BillingResult,
  type ProvisioningResult,
} from '@stratus/workflows';
import { QUIET_BUNDLER_LOGGER, TemporalHarness, eventually } from './temporal-harness';

import { saveFixture } from './workflow-fixtures';

jest.setTimeout(600_000);

const REPO = resolve(__dirname, '../../../../..');

const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8' }).trim();

/** The commit before the first one whose workflows/src contains `patched('<id>')`. */
function commitBeforePatch(patchId: string): string {
  const [introducing] = git(
    'log',
    '--reverse',
    '--format=%H',
    `-Spatched('${patchId}')`,
    '--',
    'workflows/src',
  ).split('\n');
  if (!introducing) throw new Error(`no commit introduces patched('${patchId}') in workflows/src`);
  return git('rev-parse', `${introducing}^`);
}

/** The workflow code of `commit`, bundled (its imports resolved from this checkout's node_modules). */
async function bundleAt(commit: string) {
  const dir = mkdtempSync(join(tmpdir(), 'stratus-pre-patch-'));
  try {
    const archive = join(dir, 'workflows.tar');
    git('archive', '--format=tar', `--output=${archive}`, commit, 'workflows/src');
    execFileSync('tar', ['-xf', archive, '-C', dir]);
    return await bundleWorkflowCode({
      workflowsPath: join(dir, 'workflows', 'src', 'workflows.ts'),
      logger: QUIET_BUNDLER_LOGGER,
      webpackConfigHook: (config) => ({
        ...config,
        resolve: {
          ...config.resolve,
          modules: [...(config.resolve?.modules ?? []), join(REPO, 'node_modules')],
        },
      }),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const PRICE = 1_000_000n;

interface Scenario {
  /** The patch whose old branch the history takes (the fixture is named after it). */
  patchId: string;
  run(h: TemporalHarness): Promise<WorkflowHandle[]>;
}

/** billingWorkflow for an active server, billing from now (1 s periods), as the lifecycle tests start it. */
async function startBilling(h: TemporalHarness, organizationId: string, settings: Record<string, unknown>) {
  const billedUntil = new Date().toISOString();
  const vpsId = await h.activeServer(organizationId, PRICE, billedUntil);
  const handle = await h.env.client.workflow.start('billingWorkflow', {
    taskQueue: h.taskQueue,
    workflowId: billingWorkflowId(vpsId),
    args: [
      {
        vpsId,
        organizationId,
        hourlyPrice: '1',
        billedUntil,
        periodSeconds: 1,
        graceSeconds: 1,
        ...settings,
      },
    ],
  });
  return { vpsId, handle };
}

/** As the API deletes: the request recorded, then the signal. */
async function deleteServer(h: TemporalHarness, vpsId: string, handle: WorkflowHandle) {
  await h.vpsCommand(vpsId, 'delete', { type: 'RequestDeletion', data: {} });
  await handle.signal(deleteServerSignal, { requestedAt: new Date().toISOString() });
  expect(((await handle.result()) as BillingResult).outcome).toBe('deleted');
}

const suspended = async (h: TemporalHarness, vpsId: string) =>
  (await h.vpsState(vpsId)).status === 'suspended';

/** Seconds since the server's last VpsSuspended (null: never suspended). */
async function suspendedForSeconds(h: TemporalHarness, vpsId: string): Promise<number | null> {
  const event = (await h.vpsEvents(vpsId)).filter((e) => e.type === 'VpsSuspended').at(-1);
  return event ? (Date.now() - Date.parse(event.metadata.occurredAt)) / 1000 : null;
}

/** A server that cannot pay: periods unpaid, grace expired, suspended, then deleted by its customer. */
async function suspendedThenDeleted(h: TemporalHarness): Promise<WorkflowHandle[]> {
  const organizationId = await h.fundedOrganization(0n);
  const { vpsId, handle } = await startBilling(h, organizationId, {});
  await eventually(() => suspended(h, vpsId), 'the server suspended');
  await deleteServer(h, vpsId, handle);
  return [handle];
}

const SCENARIOS: Scenario[] = [
  {
    // The old workflow started billing without looking for a deletion recorded before its start (today it does).
    // (No deletion is recorded before the start here: today's chargePeriod would report it, which the activities
    // of that time did not, and the old code would run on regardless.)
    patchId: 'deletion-check-at-start',
    async run(h) {
      const organizationId = await h.fundedOrganization(100_000_000n);
      const { vpsId, handle } = await startBilling(h, organizationId, {});
      await eventually(
        async () => (await h.vpsEvents(vpsId)).filter((e) => e.type === 'VpsPeriodBilled').length >= 2,
        'two billed periods',
      );
      await deleteServer(h, vpsId, handle);
      return [handle];
    },
  },
  {
    // The suspension refused for good: the old workflow failed (today: recorded, retried at the next boundary).
    patchId: 'billing-action-failure-recorded',
    async run(h) {
      const organizationId = await h.fundedOrganization(0n);
      const { vpsId, handle } = await startBilling(h, organizationId, {});
      // The suspension comes after a period and the grace: the fault is in place long before.
      h.injectActivityFault({ activity: 'suspendVps', vpsId, at: 'before', nonRetryable: true, times: 1 });
      await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      return [handle];
    },
  },
  {
    // Grace expired: the old workflow suspended at once (today: the unpaid periods are retried first).
    patchId: 'retry-unpaid-before-suspending',
    run: suspendedThenDeleted,
  },
  {
    // Suspended past SUSPENDED_DELETE_AFTER_DAYS (here seconds): the old workflow kept it (today: warned, deleted).
    patchId: 'suspended-server-deletion',
    async run(h) {
      const organizationId = await h.fundedOrganization(0n);
      const { vpsId, handle } = await startBilling(h, organizationId, {
        suspendedDeleteAfterSeconds: 3,
        suspendedDeletionWarningSeconds: [2],
      });
      await eventually(
        async () => ((await suspendedForSeconds(h, vpsId)) ?? 0) > 6,
        'the server suspended past its deletion time',
      );
      await deleteServer(h, vpsId, handle);
      return [handle];
    },
  },
  {
    // Deleted while periods are unpaid: the old finalize charged only the prorated rest (today: unpaid retried first).
    patchId: 'finalize-settles-every-period',
    run: suspendedThenDeleted,
  },
  {
    // The first-hour charge committed, then its activity failed: the old workflow registered no refund yet.
    patchId: 'first-hour-refund-registered-before-charge',
    async run(h) {
      const organizationId = await h.fundedOrganization(100_000_000n);
      const vpsId = await h.requestVps(organizationId, PRICE);
      h.injectActivityFault({
        activity: 'chargeFirstHour',
        vpsId,
        at: 'after',
        nonRetryable: true,
        times: 1,
      });
      const handle = await h.env.client.workflow.start('provisioningWorkflow', {
        taskQueue: h.taskQueue,
        workflowId: provisioningWorkflowId(vpsId),
        args: [h.provisioningInput(vpsId, organizationId)],
      });
      expect(((await handle.result()) as ProvisioningResult).outcome).toBe('failed');
      return [handle];
    },
  },
];

describe('pre-patch replay fixtures (recorded from the workflow code before each patch)', () => {
  const h = new TemporalHarness();
  beforeAll(() => h.setUp(), 120_000);
  afterAll(() => h.tearDown());

  it.each(SCENARIOS.map((s) => [s.patchId, s] as const))('%s', async (patchId, scenario) => {
    const commit = commitBeforePatch(patchId);
    process.stdout.write(`pre-patch fixture ${patchId}: workflow code of ${commit}\n`);
    // One task queue per scenario: only a worker running that commit's code picks its workflows up.
    h.bundle = await bundleAt(commit);
    h.taskQueue = `pre-patch-${randomUUID().slice(0, 8)}`;
    h.clearActivityFaults();
    await h.startWorker();
    const handles = await scenario.run(h);
    await saveFixture(`${PRE_PATCH_FIXTURE_PREFIX}${patchId}`, handles);
  });
});
