import {
  ActivityFailure,
  CancellationScope,
  ParentClosePolicy,
  condition,
  log,
  patched,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributeUpdatePair } from '@temporalio/common';
import type { ProvisioningStage } from '@stratus/domain';
import { workflowNow } from './workflow-clock';
import { describeFailure, isFinalProviderFailure } from './activity-failures';
import {
  ACTIVITY_FAILURE_TYPES,
  ACTIVITY_HEARTBEAT_TIMEOUT,
  EVENT_STORE_ACTIVITY_OPTIONS,
  type StratusActivities,
} from './activities';
import { billingWorkflow } from './billing.workflow';
import {
  abortProvisioningSignal,
  billingWorkflowId,
  deleteServerSignal,
  provisioningStatusQuery,
  retryProvisioningSignal,
  searchAttributes,
  type BillingWorkflowInput,
  type ProvisioningStatus,
  type ProvisioningWorkflowInput,
} from './contracts';

/** Event-store work (EVENT_STORE_ACTIVITY_OPTIONS). */
const store = proxyActivities<StratusActivities>(EVENT_STORE_ACTIVITY_OPTIONS);

/** Provider calls: a few retries for 5xx/429/timeouts, then the step fails and compensation runs. */
function providerActivities(retry: ProvisioningWorkflowInput['providerRetry']) {
  return proxyActivities<StratusActivities>({
    startToCloseTimeout: '60s',
    heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
    retry: {
      initialInterval: retry?.initialIntervalMs ?? 500,
      backoffCoefficient: 2,
      maximumInterval: '10s',
      maximumAttempts: retry?.maximumAttempts ?? 5,
      nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.providerFinal, ACTIVITY_FAILURE_TYPES.notFound],
    },
  });
}

/** Compensations must finish: retried until they do (deleting a missing instance and re-refunding are no-ops). */
const compensation = proxyActivities<StratusActivities>({
  startToCloseTimeout: '60s',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s' },
});

export type ProvisioningResult =
  | { outcome: 'active'; providerInstanceId: string; ipv4: string; billingWorkflowId: string }
  | {
      outcome: 'failed';
      stage: ProvisioningStage;
      reason: string;
      instanceDeleted: boolean;
      refunded: boolean;
    };

/** Raised inside the workflow to leave the saga and compensate (operator abort, customer deletion). */
class ProvisioningAborted extends Error {
  override readonly name = 'ProvisioningAborted';
}

interface Compensation {
  name: 'delete_instance' | 'refund_first_hour';
  /** False when there was nothing to undo (a refund of a first hour never charged). */
  run(): Promise<boolean>;
}

/**
 * Provisions one server: charge the first hour (from the request's instant) → create the instance → wait until running → record
 * the server active → start its billing workflow. Each step is an idempotent activity and is recorded
 * as a stage event; a compensation is registered once its step's effect may exist, and on failure they
 * run in reverse (delete the instance, refund the first hour) before the server is recorded `failed`.
 *
 * A server that never reaches running becomes `stuck` and waits for an operator: retryProvisioning
 * repeats the wait (attempt + 1), abortProvisioning compensates. A customer deletion while provisioning
 * (deleteServerSignal sent to this workflow, or VpsDeletionRequested found in the stream before
 * activation) aborts with compensation too.
 */
export async function provisioningWorkflow(input: ProvisioningWorkflowInput): Promise<ProvisioningResult> {
  const { vpsId } = input;
  const provider = providerActivities(input.providerRetry);
  const status: ProvisioningStatus = {
    vpsId,
    state: 'running',
    stage: 'charging_first_hour',
    attempt: 1,
    lastError: null,
  };
  let retryRequested = false;
  let abortReason: string | null = null;

  setHandler(provisioningStatusQuery, () => ({ ...status }));
  setHandler(retryProvisioningSignal, () => {
    retryRequested = true;
  });
  setHandler(abortProvisioningSignal, ({ reason }) => {
    abortReason ??= `aborted by operator: ${reason}`;
  });
  setHandler(deleteServerSignal, () => {
    abortReason ??= 'deleted by customer during provisioning';
  });

  const publish = () => {
    const pairs: SearchAttributeUpdatePair[] = [
      { key: searchAttributes.vpsId, value: vpsId },
      { key: searchAttributes.organizationId, value: input.organizationId },
      { key: searchAttributes.provisioningState, value: status.state },
      { key: searchAttributes.provisioningStage, value: status.stage },
      { key: searchAttributes.attempt, value: status.attempt },
      { key: searchAttributes.lastError, value: status.lastError ?? '' },
    ];
    upsertSearchAttributes(pairs);
  };
  const enter = async (stage: ProvisioningStage) => {
    if (abortReason !== null) throw new ProvisioningAborted(abortReason);
    status.stage = stage;
    publish();
    await store.recordProvisioningStage({ vpsId, stage, attempt: status.attempt });
  };

  const compensations: Compensation[] = [];
  let providerInstanceId: string | null = null;
  // Workflows started before: the first hour at this workflow's clock, its refund registered once charged.
  const firstHourAtRequest = patched('first-hour-refund-registered-before-charge');
  const requestedAt = firstHourAtRequest ? undefined : new Date(workflowNow()).toISOString();

  try {
    await enter('charging_first_hour');
    if (firstHourAtRequest) {
      // Before the charge: a charge that committed while its activity then failed is refunded too. The activity
      // refunds only a recorded charge, found by the server's first-hour charge id.
      compensations.push({
        name: 'refund_first_hour',
        run: async () =>
          (
            (await compensation.refundFirstHour({ vpsId, reason: 'provisioning failed' })) ?? {
              refunded: true,
            }
          ).refunded,
      });
    }
    const charge = await store.chargeFirstHour({
      vpsId,
      ...(requestedAt === undefined ? {} : { periodStart: requestedAt }),
      periodSeconds: input.billing.periodSeconds,
    });
    if (charge.outcome === 'insufficient_funds') {
      // Nothing was taken and nothing exists at the provider: fail without compensation.
      const reason = `insufficient funds for the first hour (${charge.amount} needed, balance ${charge.balance})`;
      return await fail('charging_first_hour', reason, false, false);
    }
    if (!firstHourAtRequest) {
      const refund = { chargeId: charge.chargeId, amount: charge.amount };
      compensations.push({
        name: 'refund_first_hour',
        run: async () => {
          await compensation.refundFirstHour({ vpsId, ...refund, reason: 'provisioning failed' });
          return true;
        },
      });
    }

    await enter('creating_instance');
    try {
      providerInstanceId = (await provider.createInstance({ vpsId })).providerInstanceId;
    } catch (error) {
      // A final refusal created nothing; after timeouts or exhausted retries the instance may exist.
      if (!isFinalProviderFailure(error)) compensations.push(deleteInstances(vpsId, () => null));
      throw error;
    }
    const createdId = providerInstanceId;
    compensations.push(deleteInstances(vpsId, () => createdId));

    let ipv4: string;
    for (;;) {
      await enter('waiting_for_running');
      const waited = await waitUntilRunningOrAbort(
        vpsId,
        createdId,
        input.runningTimeoutSeconds,
        input.providerRetry,
        () => abortReason,
      );
      if (waited === 'aborted') throw new ProvisioningAborted(abortReason ?? 'aborted');
      if (waited.outcome === 'running') {
        ipv4 = waited.ipv4;
        break;
      }
      const reason = `provider did not report running within ${input.runningTimeoutSeconds}s (last status ${waited.lastStatus})`;
      status.state = 'stuck';
      status.lastError = reason;
      publish();
      await store.markProvisioningStuck({
        vpsId,
        stage: 'waiting_for_running',
        reason,
        attempt: status.attempt,
      });
      retryRequested = false;
      await condition(() => retryRequested || abortReason !== null);
      if (abortReason !== null) throw new ProvisioningAborted(abortReason);
      status.attempt += 1;
      status.state = 'running';
      publish();
      await store.retryProvisioning({ vpsId, stage: 'waiting_for_running', attempt: status.attempt });
    }

    await enter('recording_active');
    const billingId = billingWorkflowId(vpsId);
    const activated = await store.activateVps({
      vpsId,
      providerInstanceId: createdId,
      ipv4,
      billingWorkflowId: billingId,
      firstHourEnd: charge.periodEnd,
    });
    if (activated.outcome === 'deletion_requested') {
      throw new ProvisioningAborted('deleted by customer during provisioning');
    }
    // The later of the first hour's end and the activation (results recorded before: the first hour's end).
    const billedUntil = activated.billedUntil ?? charge.periodEnd;

    // Past activation the server is the customer's: no compensation any more (deleting a paid server and
    // refunding it, then a FailProvisioning the domain refuses for an active server), billing must start.
    compensations.length = 0;
    status.stage = 'starting_billing';
    publish();
    try {
      await store.recordProvisioningStage({ vpsId, stage: 'starting_billing', attempt: status.attempt });
    } catch (error) {
      if (!(error instanceof ActivityFailure)) throw error;
      // The stage record is bookkeeping; the server is active either way and billing starts below.
      log.warn('provisioning: starting_billing stage not recorded', {
        vpsId,
        reason: describeFailure(error),
      });
    }
    const billingInput: BillingWorkflowInput = {
      vpsId,
      organizationId: input.organizationId,
      hourlyPrice: charge.hourlyPrice,
      billedUntil,
      periodSeconds: input.billing.periodSeconds,
      graceSeconds: input.billing.graceSeconds,
      ...(input.billing.maxPeriodsPerRun ? { maxPeriodsPerRun: input.billing.maxPeriodsPerRun } : {}),
      ...(input.billing.suspendedDeleteAfterSeconds
        ? { suspendedDeleteAfterSeconds: input.billing.suspendedDeleteAfterSeconds }
        : {}),
      ...(input.billing.suspendedDeletionWarningSeconds
        ? { suspendedDeletionWarningSeconds: input.billing.suspendedDeletionWarningSeconds }
        : {}),
    };
    try {
      // A child, not a client call from an activity: starting it is recorded in this history exactly once,
      // and ABANDON lets it outlive this workflow, which completes right after.
      await startChild(billingWorkflow, {
        workflowId: billingId,
        args: [billingInput],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        typedSearchAttributes: [
          { key: searchAttributes.vpsId, value: vpsId },
          { key: searchAttributes.organizationId, value: input.organizationId },
        ],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
    status.state = 'active';
    status.lastError = null;
    publish();
    return { outcome: 'active', providerInstanceId: createdId, ipv4, billingWorkflowId: billingId };
  } catch (error) {
    if (!(error instanceof ProvisioningAborted) && !(error instanceof ActivityFailure)) throw error; // a bug: retry the task
    const failedStage = status.stage;
    const reason = describeFailure(error);
    status.state = 'compensating';
    status.stage = 'compensating';
    status.lastError = reason;
    publish();
    log.warn('provisioning failed, compensating', { vpsId, stage: failedStage, reason });
    // Not `enter`: compensation runs even when an abort is what brought us here.
    await store.recordProvisioningStage({ vpsId, stage: 'compensating', attempt: status.attempt });
    let instanceDeleted = false;
    let refunded = false;
    for (const step of [...compensations].reverse()) {
      const undone = await step.run();
      if (step.name === 'delete_instance') instanceDeleted = true;
      if (step.name === 'refund_first_hour') refunded = undone;
    }
    return await fail(failedStage, reason, instanceDeleted, refunded);
  }

  async function fail(
    stage: ProvisioningStage,
    reason: string,
    instanceDeleted: boolean,
    refunded: boolean,
  ): Promise<ProvisioningResult> {
    await store.failProvisioning({ vpsId, stage, reason, instanceDeleted, refunded });
    status.state = 'failed';
    status.stage = stage;
    status.lastError = reason;
    publish();
    return { outcome: 'failed', stage, reason, instanceDeleted, refunded };
  }
}

function deleteInstances(vpsId: string, instanceId: () => string | null): Compensation {
  return {
    name: 'delete_instance',
    run: async () => {
      await compensation.deleteInstances({ vpsId, providerInstanceId: instanceId() });
      return true;
    },
  };
}

/** The wait step, cancelled at once when an operator aborts or the customer deletes meanwhile. */
async function waitUntilRunningOrAbort(
  vpsId: string,
  providerInstanceId: string,
  timeoutSeconds: number,
  retry: ProvisioningWorkflowInput['providerRetry'],
  abortReason: () => string | null,
): Promise<Awaited<ReturnType<StratusActivities['waitUntilRunning']>> | 'aborted'> {
  const waiting = proxyActivities<StratusActivities>({
    // The activity gives up by itself after timeoutSeconds; the margin covers its last poll.
    startToCloseTimeout: `${timeoutSeconds + 60}s`,
    heartbeatTimeout: '10s',
    retry: {
      initialInterval: retry?.initialIntervalMs ?? 500,
      backoffCoefficient: 2,
      maximumInterval: '10s',
      maximumAttempts: retry?.maximumAttempts ?? 5,
      nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.providerFinal, ACTIVITY_FAILURE_TYPES.notFound],
    },
  });
  const scope = new CancellationScope();
  const result = scope.run(() => waiting.waitUntilRunning({ vpsId, providerInstanceId, timeoutSeconds }));
  result.catch(() => undefined); // observed below, or abandoned after an abort
  const aborted = condition(() => abortReason() !== null).then(() => 'aborted' as const);
  const first = await Promise.race([result, aborted]);
  if (first === 'aborted') scope.cancel();
  return first;
}
