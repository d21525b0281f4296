import { proxyActivities } from '@temporalio/workflow';
import { ACTIVITY_HEARTBEAT_TIMEOUT, type StratusActivities } from './activities';
import type { DeletionResignalInput } from './contracts';

const { resignalStuckDeletions } = proxyActivities<StratusActivities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5 },
});

/** Run by the DELETION_RESIGNAL_SCHEDULE_ID schedule: a lost delete signal is sent again. */
export async function deletionResignalWorkflow(input: DeletionResignalInput): Promise<{ signalled: number }> {
  return await resignalStuckDeletions({ stuckAfterSeconds: input.stuckAfterSeconds });
}
