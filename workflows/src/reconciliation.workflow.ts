import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import { ACTIVITY_FAILURE_TYPES, ACTIVITY_HEARTBEAT_TIMEOUT, type StratusActivities } from './activities';
import type { BillingReconciliationWorkflowInput } from './contracts';

/**
 * The replay: long (a whole history), so it heartbeats its progress and a lost worker is noticed within the
 * heartbeat timeout; each retry resumes after the last organization it recorded.
 */
const replay = proxyActivities<StratusActivities>({
  startToCloseTimeout: '6h',
  heartbeatTimeout: '60s',
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.domainRejected, ACTIVITY_FAILURE_TYPES.notFound],
  },
});

const store = proxyActivities<StratusActivities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '200ms', backoffCoefficient: 2, maximumInterval: '30s' },
});

export type BillingReconciliationResult =
  | { outcome: 'completed'; organizations: number; eventsRead: number; lines: number }
  | { outcome: 'failed'; reason: string };

/**
 * One billing reconciliation run, requested by POST /api/admin/billing/reconciliations: the replay, then the
 * run recorded as finished, or as failed once the replay has failed for good (the run page then says so).
 */
export async function billingReconciliationWorkflow(
  input: BillingReconciliationWorkflowInput,
): Promise<BillingReconciliationResult> {
  const { reconciliationId } = input;
  try {
    const result = await replay.runBillingReconciliation({ reconciliationId });
    return { outcome: 'completed', ...result };
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    const reason =
      cause instanceof ApplicationFailure || cause instanceof Error
        ? cause.message
        : error instanceof Error
          ? error.message
          : String(error);
    await store.failBillingReconciliation({ reconciliationId, reason });
    return { outcome: 'failed', reason };
  }
}
