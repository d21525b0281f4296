import { ParentClosePolicy, proxyActivities, startChild, WorkflowIdReusePolicy } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { previousTransferMonth, transferMonthOf } from '@stratus/domain';
import { workflowNow } from './workflow-clock';
import { ACTIVITY_FAILURE_TYPES, ACTIVITY_HEARTBEAT_TIMEOUT, type StratusActivities } from './activities';
import {
  transferMonthCloseWorkflowId,
  WORKFLOW_TYPES,
  type TransferMeasurementResult,
  type TransferMonthCloseAllInput,
  type TransferMonthCloseInput,
  type TransferMonthCloseResult,
} from './contracts';

/** The hourly measurement: one long activity over every metered server, heartbeating its progress. */
const meter = proxyActivities<StratusActivities>({
  startToCloseTimeout: '50m',
  heartbeatTimeout: '60s',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '60s', maximumAttempts: 3 },
});

/** Event-store and wallet work: cheap, retried patiently; domain refusals are final. */
const store = proxyActivities<StratusActivities>({
  startToCloseTimeout: '2m',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '500ms',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    maximumAttempts: 50,
    nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.domainRejected, ACTIVITY_FAILURE_TYPES.notFound],
  },
});

/**
 * Run every hour by the TRANSFER_MEASUREMENT_SCHEDULE_ID schedule: each metered server's provider counter recorded
 * for this hour (one event per server per hour: a re-run, or two workers, record it once). A server the provider
 * could not answer for is measured at the next hour (the counters are cumulative: nothing is lost).
 */
export async function transferMeasurementWorkflow(): Promise<TransferMeasurementResult> {
  return await meter.measureTransfer({});
}

/**
 * One organization's month closed (workflow id transferMonthCloseWorkflowId: once per organization and month):
 * its servers' measurements pooled, the overage charged to its wallet once under `transfer-<org>:<month>` (kept as
 * the wallet's debt when it cannot pay), and the month recorded as closed.
 */
export async function transferMonthCloseWorkflow(
  input: TransferMonthCloseInput,
): Promise<TransferMonthCloseResult> {
  return await store.closeTransferMonth({ organizationId: input.organizationId, month: input.month });
}

/**
 * Run by the TRANSFER_MONTH_CLOSE_SCHEDULE_ID schedule early in each month: a month-close workflow for every
 * organization for the month that just ended (or `input.month`). Started children run on their own (abandoned
 * when this one ends); one already started or finished for that organization and month is left as it is.
 */
export async function transferMonthCloseAllWorkflow(
  input: TransferMonthCloseAllInput = {},
): Promise<{ month: string; started: number; already: number }> {
  const month = input.month ?? previousTransferMonth(transferMonthOf(workflowNow()));
  let after: string | null = null;
  let started = 0;
  let already = 0;
  for (;;) {
    const page: string[] = await store.organizationsPage({ after, limit: 100 });
    for (const organizationId of page) {
      try {
        await startChild(WORKFLOW_TYPES.transferMonthClose, {
          workflowId: transferMonthCloseWorkflowId(organizationId, month),
          args: [{ organizationId, month } satisfies TransferMonthCloseInput],
          parentClosePolicy: ParentClosePolicy.ABANDON,
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        });
        started += 1;
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
        already += 1;
      }
    }
    if (page.length < 100) break;
    after = page[page.length - 1];
  }
  return { month, started, already };
}
