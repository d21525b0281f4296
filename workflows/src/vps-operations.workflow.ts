import { ActivityFailure, log, proxyActivities } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import {
  ACTIVITY_FAILURE_TYPES,
  ACTIVITY_HEARTBEAT_TIMEOUT,
  EVENT_STORE_ACTIVITY_OPTIONS,
  type StratusActivities,
} from './activities';
import { describeFailure } from './activity-failures';
import type { VpsOperationResult, VpsOperationWorkflowInput } from './contracts';

/** Event-store work (EVENT_STORE_ACTIVITY_OPTIONS). */
const store = proxyActivities<StratusActivities>(EVENT_STORE_ACTIVITY_OPTIONS);

/** Provider calls: a few tries for 5xx/429/timeouts, then the operation fails; a refusal fails it at once. */
function providerActivities(
  retry: VpsOperationWorkflowInput['providerRetry'],
  startToCloseTimeout: Duration = '60s',
) {
  return proxyActivities<StratusActivities>({
    startToCloseTimeout,
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
    retry: {
      initialInterval: retry?.initialIntervalMs ?? 500,
      backoffCoefficient: 2,
      maximumInterval: '10s',
      maximumAttempts: retry?.maximumAttempts ?? 5,
      nonRetryableErrorTypes: [
        ACTIVITY_FAILURE_TYPES.providerFinal,
        ACTIVITY_FAILURE_TYPES.notFound,
        ACTIVITY_FAILURE_TYPES.domainRejected,
      ],
    },
  });
}

/**
 * One operation on a server (VpsOperationStarted recorded by the API): its provider step, then its end recorded on
 * the server's stream. A provider that refuses (4xx) or keeps failing fails the operation with the reason; a label
 * or a reverse DNS is applied by the provider whole or not at all, so a failed step leaves nothing to undo, and the
 * server keeps what it had. Operations that change the instance in several steps (rebuild, resize, restore) add
 * compensations here, as provisioning does.
 */
async function runOperation(
  input: VpsOperationWorkflowInput,
  step: (provider: StratusActivities) => Promise<unknown>,
  afterAccepted?: () => Promise<void>,
): Promise<VpsOperationResult> {
  const { vpsId, operationId } = input;
  try {
    await step(providerActivities(input.providerRetry));
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error; // a bug: retry the task
    const reason = describeFailure(error);
    log.warn('operation failed', { vpsId, operationId, reason });
    await store.failOperation({ vpsId, operationId, reason });
    return { outcome: 'failed', reason };
  }
  // Once the provider accepted the change it is the instance's: what follows cannot undo it, only finish it.
  if (afterAccepted) await afterAccepted();
  await store.completeOperation({ vpsId, operationId });
  return { outcome: 'completed' };
}

/** Rename: the instance's label at the provider, then the server's label in Stratus. */
export function renameServerWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  return runOperation(input, (provider) =>
    provider.renameInstance({ vpsId: input.vpsId, operationId: input.operationId }),
  );
}

/** Reverse DNS of the server's IPv4 address at the provider, then recorded in Stratus. */
export function reverseDnsWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  return runOperation(input, (provider) =>
    provider.setInstanceReverseDns({ vpsId: input.vpsId, operationId: input.operationId }),
  );
}

// ---- rebuild, resize, backups (issue 15) ----

/** Polls the provider patiently (it is only reading); each poll heartbeats, so a lost worker is noticed. */
const waiting = proxyActivities<StratusActivities>({
  startToCloseTimeout: '40m',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 20,
    nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.notFound, ACTIVITY_FAILURE_TYPES.domainRejected],
  },
});

const DEFAULT_RUNNING_TIMEOUT_SECONDS = 1800;

/**
 * After a rebuild or resize the provider took: the instance is running again (or the wait timed out, which the
 * log says; the instance has the change either way, so the operation completes).
 */
async function untilRunning(input: VpsOperationWorkflowInput): Promise<void> {
  const { vpsId, operationId } = input;
  const timeoutSeconds = input.runningTimeoutSeconds ?? DEFAULT_RUNNING_TIMEOUT_SECONDS;
  try {
    const waited = await waiting.waitForOperationRunning({ vpsId, operationId, timeoutSeconds });
    if (waited.outcome === 'timeout') log.warn('not running after the operation', { vpsId, ...waited });
  } catch (error) {
    if (!(error instanceof ActivityFailure)) throw error;
    log.warn('could not wait for running', { vpsId, operationId, reason: describeFailure(error) });
  }
}

/**
 * Rebuild: the provider erases the disks and deploys the image with the new root password and keys; once it is
 * running again, the console's pinned host key is reset (a new system has a new one), then the new image,
 * password and keys are recorded. A refused rebuild changed nothing.
 */
export function rebuildServerWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  const ids = { vpsId: input.vpsId, operationId: input.operationId };
  return runOperation(
    input,
    (provider) => provider.rebuildInstance(ids),
    async () => {
      await untilRunning(input);
      await store.resetConsoleHostKey(ids);
    },
  );
}

/**
 * Resize: the provider migrates the instance to the new plan type; once it runs again, the new plan and its price
 * are recorded (billing charges the new price from the next period on). A refused resize changed nothing.
 */
export function resizeServerWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  const ids = { vpsId: input.vpsId, operationId: input.operationId };
  return runOperation(
    input,
    (provider) => provider.resizeInstance(ids),
    () => untilRunning(input),
  );
}

/** Backups on or off at the provider, then recorded (the upcharge starts or stops at the next period). */
export function serverBackupsWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  return runOperation(input, (provider) =>
    provider.setInstanceBackups({ vpsId: input.vpsId, operationId: input.operationId }),
  );
}

// ---- backups and firewall (issue 15) ----

/** Provider work that waits for the provider's long jobs (snapshots, restores): heartbeating polls, patient. */
const PROVIDER_WAIT_TIMEOUT = '2h';

/**
 * Snapshot: the provider starts it, then the workflow waits (a heartbeating poll) until it has succeeded. A failed
 * snapshot changes nothing of the server (the previous one stays the current one): nothing to compensate.
 */
export function snapshotServerWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  const { vpsId, operationId } = input;
  return runOperation(input, async (provider) => {
    const taken = await provider.takeSnapshot({ vpsId, operationId });
    if (taken.outcome === 'stale') return;
    await providerActivities(input.providerRetry, PROVIDER_WAIT_TIMEOUT).awaitSnapshot({
      vpsId,
      operationId,
      backupId: taken.backupId,
    });
  });
}

/**
 * Restore: the backup is written over the server's disks (the provider powers it off), then the workflow waits for
 * the restore, boots the server and waits until it runs. A restore that does not finish (the provider fails it, or
 * the boot keeps failing) would leave the server off: its compensation, registered before the restore starts,
 * boots it (best effort; the failure's reason is the operation's).
 */
export function restoreServerWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  const { vpsId, operationId } = input;
  return runOperation(input, async (provider) => {
    const compensations: (() => Promise<void>)[] = [];
    try {
      compensations.push(() => store.bootAfterFailedRestore({ vpsId }));
      const restored = await provider.restoreInstanceBackup({ vpsId, operationId });
      if (restored.outcome === 'stale') return;
      await providerActivities(input.providerRetry, PROVIDER_WAIT_TIMEOUT).awaitRestoredRunning({
        vpsId,
        operationId,
      });
    } catch (error) {
      for (const compensate of compensations.reverse()) {
        try {
          await compensate();
        } catch (compensationError) {
          log.warn('restore compensation failed', { vpsId, operationId, error: String(compensationError) });
        }
      }
      throw error;
    }
  });
}

/**
 * Firewall: the server's own Cloud Firewall is found again by its label or created, given the rules (a replace,
 * idempotent) with the server behind it; then the server leaves the platform's default firewall. A server that had
 * no rules of its own and fails between the two would sit behind both: the compensation, registered before its own
 * firewall is applied, takes it from behind its own again, so the default stays the rules in effect (a server that
 * had rules keeps its firewall: a rule set is applied whole, so the old rules or the new ones are in effect).
 */
export function serverFirewallWorkflow(input: VpsOperationWorkflowInput): Promise<VpsOperationResult> {
  const { vpsId, operationId } = input;
  return runOperation(input, async (provider) => {
    const compensations: (() => Promise<void>)[] = [];
    try {
      compensations.push(() => store.undoServerFirewall({ vpsId, operationId }));
      const applied = await provider.applyServerFirewall({ vpsId, operationId });
      if (applied.outcome === 'stale') return;
      await provider.leavePlatformFirewall({ vpsId, operationId });
    } catch (error) {
      for (const compensate of compensations.reverse()) {
        try {
          await compensate();
        } catch (compensationError) {
          log.warn('firewall compensation failed', { vpsId, operationId, error: String(compensationError) });
        }
      }
      throw error;
    }
  });
}
