import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  abortProvisioningSignal,
  billingWorkflowId,
  deleteServerSignal,
  provisioningWorkflowId,
  TASK_QUEUE,
  WORKFLOW_TYPES,
  type ProvisioningWorkflowInput,
} from '@stratus/workflows';
import { ApiError } from '../../../shared/errors/api-error';
import { TEMPORAL_CLIENT } from '../../../shared/temporal/temporal.tokens';
import type { VpsSettings } from '../../catalog/shared/catalog.settings';
import { VPS_SETTINGS } from '../../catalog/shared/catalog.tokens';

/** A Temporal call that does not answer within this long is treated as Temporal being down. */
export const TEMPORAL_CALL_TIMEOUT_MS = 5000;

export function temporalUnavailable(message: string, details: Record<string, unknown>): ApiError {
  return new ApiError(503, 'workflow_engine_unavailable', message, details, { 'Retry-After': '5' });
}

/**
 * Starts and signals the VPS workflows. Starting is idempotent: the workflow id is derived from the server
 * id and a second start of an existing (or finished) execution is refused by Temporal, which we treat as done.
 */
@Injectable()
export class VpsWorkflows {
  private readonly logger = new Logger('VpsWorkflows');

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client | null,
    @Inject(VPS_SETTINGS) private readonly settings: VpsSettings,
  ) {}

  /** The provisioning workflow's input: ids and the configured timeouts and billing settings. */
  provisioningInput(vpsId: string, organizationId: string): ProvisioningWorkflowInput {
    return {
      vpsId,
      organizationId,
      runningTimeoutSeconds: this.settings.provisioningRunningTimeoutSeconds,
      billing: {
        periodSeconds: this.settings.billingPeriodSeconds,
        graceSeconds: this.settings.suspendGraceSeconds,
      },
    };
  }

  /** Returns true when this call started it, false when it was already started. */
  async startProvisioning(input: ProvisioningWorkflowInput): Promise<boolean> {
    const workflowId = provisioningWorkflowId(input.vpsId);
    const client = this.requireClient({ vpsId: input.vpsId, workflowId });
    try {
      await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        client.workflow.start(WORKFLOW_TYPES.provisioning, {
          workflowId,
          taskQueue: TASK_QUEUE,
          args: [input],
          // Never a second provisioning for one server, even after the first finished.
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      this.logger.warn(`starting ${workflowId} failed: ${describe(error)}`);
      throw temporalUnavailable(
        'The server was recorded but its provisioning could not be started (workflow engine unavailable); ' +
          'retry the same request with the same Idempotency-Key',
        { vpsId: input.vpsId, workflowId },
      );
    }
  }

  /** Customer deleted an active or suspended server: the billing workflow charges the last part and deletes. */
  async signalDeletion(vpsId: string, requestedAt: string): Promise<void> {
    const workflowId = billingWorkflowId(vpsId);
    await this.signal(vpsId, workflowId, async (client) => {
      try {
        await client.workflow.getHandle(workflowId).signal(deleteServerSignal, { requestedAt });
      } catch (error) {
        // Activated a moment ago: provisioning has not started billing yet. The billing workflow looks for
        // the VpsDeletionRequested already recorded when it starts, so the deletion is not lost.
        if (!(error instanceof WorkflowNotFoundError)) throw error;
        const provisioning = await client.workflow
          .getHandle(provisioningWorkflowId(vpsId))
          .describe()
          .catch(() => null);
        if (provisioning?.status.name !== 'RUNNING') throw error;
      }
    });
  }

  /**
   * Customer deleted a server still provisioning (or stuck): the provisioning workflow compensates. Signal-with-start,
   * so a server whose workflow never started (Temporal was down at creation) still gets one, which aborts at once;
   * a workflow that already finished is not started again (REJECT_DUPLICATE), and there is nothing left to abort.
   */
  async abortProvisioning(input: ProvisioningWorkflowInput, reason: string): Promise<void> {
    const workflowId = provisioningWorkflowId(input.vpsId);
    await this.signal(input.vpsId, workflowId, async (client) => {
      try {
        await client.workflow.signalWithStart(WORKFLOW_TYPES.provisioning, {
          workflowId,
          taskQueue: TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          signal: abortProvisioningSignal,
          signalArgs: [{ reason }],
        });
      } catch (error) {
        if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      }
    });
  }

  private async signal(vpsId: string, workflowId: string, send: (client: Client) => Promise<void>) {
    const client = this.requireClient({ vpsId, workflowId });
    try {
      await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () => send(client));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) {
        throw new ApiError(
          409,
          'workflow_not_running',
          'The deletion was recorded but the workflow owning this server is not running; staff must reconcile it',
          { vpsId, workflowId },
        );
      }
      this.logger.warn(`signalling ${workflowId} failed: ${describe(error)}`);
      throw temporalUnavailable(
        'The deletion was recorded but the server workflow could not be signalled (workflow engine unavailable); ' +
          'retry the request',
        { vpsId, workflowId },
      );
    }
  }

  private requireClient(details: Record<string, unknown>): Client {
    if (!this.client) {
      throw temporalUnavailable('The workflow engine is not configured on this API instance', details);
    }
    return this.client;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
