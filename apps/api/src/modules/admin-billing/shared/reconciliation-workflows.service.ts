import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import {
  billingReconciliationWorkflowId,
  TASK_QUEUE,
  WORKFLOW_TYPES,
  type BillingReconciliationWorkflowInput,
} from '@stratus/workflows';
import { TEMPORAL_CLIENT } from '../../../shared/temporal/temporal.tokens';
import { TEMPORAL_CALL_TIMEOUT_MS, temporalUnavailable } from '../../vps/shared/workflow-starter.service';

/** Starts a reconciliation run's workflow; idempotent (the workflow id is the run's). */
@Injectable()
export class ReconciliationWorkflows {
  private readonly logger = new Logger('ReconciliationWorkflows');

  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client | null) {}

  /** Returns true when this call started it, false when it was already started. */
  async start(reconciliationId: string): Promise<boolean> {
    const workflowId = billingReconciliationWorkflowId(reconciliationId);
    const retry =
      'The reconciliation was recorded but its run could not be started (workflow engine unavailable); ' +
      'retry the same request with the same Idempotency-Key';
    const client = this.client;
    if (!client) throw temporalUnavailable(retry, { reconciliationId, workflowId });
    const input: BillingReconciliationWorkflowInput = { reconciliationId };
    try {
      await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        client.workflow.start(WORKFLOW_TYPES.billingReconciliation, {
          workflowId,
          taskQueue: TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      this.logger.warn(
        `starting ${workflowId} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw temporalUnavailable(retry, { reconciliationId, workflowId });
    }
  }
}
