import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
  type WorkflowStartOptions,
} from '@temporalio/client';
import { CONFIG_SCHEMA, type VariableSpec } from '@stratus/infra';
import { VpsServerEntity, type ProjectionsOrm } from '@stratus/projections';
import {
  abortProvisioningSignal,
  billingReconciliationWorkflowId,
  billingWorkflowId,
  deleteServerSignal,
  paymentChangedSignal,
  paymentWorkflowId,
  provisioningWorkflowId,
  retryProvisioningSignal,
  searchAttributes,
  TASK_QUEUE,
  VPS_OPERATION_WORKFLOW_TYPES,
  vpsOperationWorkflowId,
  walletToppedUpSignal,
  WORKFLOW_TYPES,
  type BillingReconciliationWorkflowInput,
  type PaymentWorkflowInput,
  type ProvisioningWorkflowInput,
  type VpsOperationWorkflowInput,
} from '@stratus/workflows';
import type { VpsOperationKind } from '@stratus/domain';
import { API_CONFIG, type ApiConfig } from '../config/api-config';
import { VPS_SETTINGS, type VpsSettings } from '../config/vps-settings';
import { ApiError } from '../errors/api-error';
import { PROJECTIONS_ORM } from '../read-models/tokens';
import {
  provisioningListing,
  visibilityQuery,
  type ProvisioningListFilter,
  type ProvisioningWorkflowListing,
  type RawExecution,
} from './provisioning-visibility';
import { TEMPORAL_CLIENT, TEMPORAL_SETTINGS, type TemporalSettings } from './temporal.tokens';

/** A Temporal call that does not answer within this long is treated as Temporal being down. */
export const TEMPORAL_CALL_TIMEOUT_MS = 5000;

export function temporalUnavailable(message: string, details: Record<string, unknown>): ApiError {
  return new ApiError(503, 'workflow_engine_unavailable', message, details, { 'Retry-After': '5' });
}

/** The whole notification (every server of the organization) gives up after this long; the credit is kept. */
export const TOP_UP_SIGNAL_DEADLINE_MS = 5000;
/** Signals in flight at once for one organization. */
const TOP_UP_SIGNAL_CONCURRENCY = 8;

/** Servers whose billing workflow is running: suspended ones wait for money; signalling an active one is harmless. */
const BILLED_STATUSES = ['active', 'suspended'] as const;

export interface TopUpNotification {
  /** Billing workflows that received walletToppedUpSignal. */
  signalled: string[];
  /** Billing workflows Temporal does not know (or that already ended). */
  notFound: string[];
  /** Billing workflows that could not be signalled (Temporal down, deadline passed, not configured). */
  failed: string[];
}

const grpcCode = (error: unknown): number | null => {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  const code = (error as { code?: unknown } | null)?.code ?? cause?.code;
  return typeof code === 'number' ? code : null;
};
const GRPC_INVALID_ARGUMENT = 3;

function workflowNotRunning(action: 'retry' | 'abort', vpsId: string): ApiError {
  return new ApiError(
    409,
    'workflow_not_running',
    `The ${action} was recorded but the provisioning workflow is not running; terminate the provisioning instead`,
    { vpsId, workflowId: provisioningWorkflowId(vpsId) },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The API's one access to Temporal: starting and signalling a server's workflows (customer requests), the staff
 * operations on provisioning workflows (visibility listing, retry/abort signals, termination), and the top-up
 * signal to billing workflows. Every call has a deadline; Temporal unreachable (or not configured) is a 503
 * with a clear message, never a 500, except for the best-effort top-up signal, which never throws.
 * Starting is idempotent: the workflow id is derived from the server id and a second start of an existing (or
 * finished) execution is refused by Temporal, which is treated as done.
 */
@Injectable()
export class TemporalWorkflows {
  private readonly logger = new Logger('TemporalWorkflows');
  private readonly uiBase: string;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client | null,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings | null,
    @Inject(API_CONFIG) config: ApiConfig,
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(VPS_SETTINGS) private readonly vpsSettings: VpsSettings,
  ) {
    const base =
      config.temporalUiUrl ||
      ((CONFIG_SCHEMA.TEMPORAL_UI_URL as VariableSpec).default ?? 'http://localhost:8233');
    this.uiBase = base.replace(/\/+$/, '');
  }

  // --- A server's workflows, on customer requests ---

  /** The provisioning workflow's input: ids and the configured timeouts and billing settings. */
  provisioningInput(vpsId: string, organizationId: string): ProvisioningWorkflowInput {
    return {
      vpsId,
      organizationId,
      runningTimeoutSeconds: this.vpsSettings.provisioningRunningTimeoutSeconds,
      billing: {
        periodSeconds: this.vpsSettings.billingPeriodSeconds,
        graceSeconds: this.vpsSettings.suspendGraceSeconds,
        suspendedDeleteAfterSeconds: this.vpsSettings.suspendedDeleteAfterDays * 86_400,
      },
    };
  }

  /** Returns true when this call started it, false when it was already started. */
  async startProvisioning(input: ProvisioningWorkflowInput): Promise<boolean> {
    const workflowId = provisioningWorkflowId(input.vpsId);
    const client = this.requireClient({ vpsId: input.vpsId, workflowId });
    // Never a second provisioning for one server, even after the first finished.
    return this.startOnce(client, WORKFLOW_TYPES.provisioning, workflowId, input, () =>
      temporalUnavailable(
        'The server was recorded but its provisioning could not be started (workflow engine unavailable); ' +
          'retry the same request with the same Idempotency-Key',
        { vpsId: input.vpsId, workflowId },
      ),
    );
  }

  /** Customer deleted an active or suspended server: the billing workflow charges the last part and deletes. */
  async signalDeletion(vpsId: string, requestedAt: string): Promise<void> {
    const workflowId = billingWorkflowId(vpsId);
    await this.signalCustomer(vpsId, workflowId, async (client) => {
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
    await this.signalCustomer(input.vpsId, workflowId, async (client) => {
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

  /**
   * Starts the workflow of an operation recorded on the server's stream; false when it was already started (a
   * repeated request). Temporal down: 503, and the operation stays in progress until the same request is sent
   * again (or any other operation is asked for, which starts this one's workflow before it is refused).
   */
  async startVpsOperation(kind: VpsOperationKind, input: VpsOperationWorkflowInput): Promise<boolean> {
    const workflowId = vpsOperationWorkflowId(kind, input.operationId);
    const client = this.requireClient({ vpsId: input.vpsId, workflowId });
    return this.startOnce(
      client,
      VPS_OPERATION_WORKFLOW_TYPES[kind],
      workflowId,
      input,
      () =>
        temporalUnavailable(
          'The operation was recorded but its workflow could not be started (workflow engine unavailable); ' +
            'send the same request again',
          { vpsId: input.vpsId, workflowId },
        ),
      {
        // A run that failed or was terminated may be started again (its steps are idempotent); a completed one
        // recorded the operation's end and is never repeated.
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        typedSearchAttributes: [
          { key: searchAttributes.vpsId, value: input.vpsId },
          { key: searchAttributes.organizationId, value: input.organizationId },
        ],
      },
    );
  }

  // --- Staff operations on provisioning workflows ---

  /** The Temporal Web UI page of one run's history. */
  uiUrl(workflowId: string, runId: string): string {
    const namespace = encodeURIComponent(this.settings?.namespace ?? 'default');
    return `${this.uiBase}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
  }

  /**
   * Provisioning workflows from Temporal visibility, newest first. The raw ListWorkflowExecutions call (what
   * `client.workflow.list` runs) because the operator pages with the server's own page token.
   */
  async listProvisioning(
    filter: ProvisioningListFilter,
  ): Promise<{ items: ProvisioningWorkflowListing[]; nextPageToken: string | null }> {
    const client = this.requireClient({});
    const query = visibilityQuery(filter);
    let response;
    try {
      response = await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        client.workflowService.listWorkflowExecutions({
          namespace: client.options.namespace,
          query,
          pageSize: filter.limit,
          nextPageToken: filter.pageToken ? Buffer.from(filter.pageToken, 'base64url') : Buffer.alloc(0),
        }),
      );
    } catch (error) {
      if (filter.pageToken && grpcCode(error) === GRPC_INVALID_ARGUMENT) {
        throw ApiError.badRequest('invalid_page_token', 'pageToken is not one this API returned', {
          field: 'pageToken',
        });
      }
      this.logger.warn(`listing provisioning workflows failed: ${describe(error)}`);
      throw temporalUnavailable(
        'The workflow engine (Temporal) could not be reached to list provisioning workflows; try again shortly',
        { query },
      );
    }
    const items = (response.executions ?? []).map((raw) =>
      provisioningListing(raw as RawExecution, (workflowId, runId) => this.uiUrl(workflowId, runId)),
    );
    const token = response.nextPageToken;
    return {
      items,
      nextPageToken: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null,
    };
  }

  /** retryProvisioning: the stuck workflow waits for it. Not found = the workflow is not running. */
  async signalRetry(vpsId: string): Promise<void> {
    const workflowId = provisioningWorkflowId(vpsId);
    await this.signalStaff(vpsId, workflowId, 'retry', (client) =>
      client.workflow.getHandle(workflowId).signal(retryProvisioningSignal),
    );
  }

  /**
   * abortProvisioning, with start: a server whose workflow never started (Temporal was down at creation) gets
   * one that aborts at once; a workflow that already finished is not started again (REJECT_DUPLICATE).
   */
  async signalAbort(vpsId: string, organizationId: string, reason: string): Promise<void> {
    const workflowId = provisioningWorkflowId(vpsId);
    await this.signalStaff(vpsId, workflowId, 'abort', async (client) => {
      try {
        await client.workflow.signalWithStart(WORKFLOW_TYPES.provisioning, {
          workflowId,
          taskQueue: TASK_QUEUE,
          args: [this.provisioningInput(vpsId, organizationId)],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          signal: abortProvisioningSignal,
          signalArgs: [{ reason }],
        });
      } catch (error) {
        if (error instanceof WorkflowExecutionAlreadyStartedError) throw workflowNotRunning('abort', vpsId);
        throw error;
      }
    });
  }

  /** Terminates the running provisioning workflow; false when none was running (finished, or never started). */
  async terminateProvisioning(vpsId: string, reason: string): Promise<boolean> {
    const workflowId = provisioningWorkflowId(vpsId);
    const client = this.requireClient({ vpsId, workflowId });
    try {
      await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        client.workflow.getHandle(workflowId).terminate(reason),
      );
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      this.logger.warn(`terminating ${workflowId} failed: ${describe(error)}`);
      throw temporalUnavailable(
        'The provisioning workflow could not be terminated (workflow engine unavailable); nothing was recorded, retry the request',
        { vpsId, workflowId },
      );
    }
  }

  // --- Billing reconciliation runs ---

  /** Starts a run's replay (staff requested it); returns false when it was already started. */
  async startBillingReconciliation(reconciliationId: string): Promise<boolean> {
    const workflowId = billingReconciliationWorkflowId(reconciliationId);
    const client = this.requireClient({ reconciliationId, workflowId });
    const input: BillingReconciliationWorkflowInput = { reconciliationId };
    return this.startOnce(client, WORKFLOW_TYPES.billingReconciliation, workflowId, input, () =>
      temporalUnavailable(
        'The reconciliation was recorded but its run could not be started (workflow engine unavailable); ' +
          'retry the same request with the same Idempotency-Key',
        { reconciliationId, workflowId },
      ),
    );
  }

  // --- Customer payments ---

  /**
   * Starts the payment's workflow (it polls the provider and expires the payment if abandoned); returns false when
   * it was already started, so a retried create starts it once. Without Temporal configured (tests) nothing is
   * started: the return and the webhooks still settle the payment.
   */
  async startPayment(input: PaymentWorkflowInput): Promise<boolean> {
    const workflowId = paymentWorkflowId(input.paymentId);
    if (!this.client) {
      this.logger.warn(`${workflowId} not started: Temporal is not configured (nothing polls or expires it)`);
      return false;
    }
    // One workflow per payment, ever: a create retried after the payment ended starts nothing.
    return this.startOnce(this.client, WORKFLOW_TYPES.payment, workflowId, input, () =>
      temporalUnavailable(
        'The payment was recorded but its workflow could not be started (workflow engine unavailable); ' +
          'retry the same request with the same Idempotency-Key',
        { paymentId: input.paymentId, workflowId },
      ),
    );
  }

  /**
   * The return or a webhook moved the payment: its workflow looks now (and ends once it is settled) instead of at
   * its next poll. Best effort, never throws: the workflow polls anyway; an ended one is left alone.
   */
  async paymentChanged(paymentId: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const workflowId = paymentWorkflowId(paymentId);
    try {
      await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        client.workflow.getHandle(workflowId).signal(paymentChangedSignal),
      );
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError))
        this.logger.warn(`signalling ${workflowId} failed: ${describe(error)}`);
    }
  }

  // --- Money entered a wallet ---

  /**
   * After money enters a wallet (a staff credit, later a payment), tells the billing workflow of every server
   * of the organization that is billed, so unpaid periods are retried now and a suspended server whose debt is
   * covered resumes without waiting for the next period boundary. Best effort by design: the money is already
   * recorded, and each billing workflow re-checks its unpaid periods at every boundary anyway, so this never
   * throws; what it could not deliver is logged.
   *
   * The servers come from the vps_servers read model: one that became active a moment ago may be missed
   * (its workflow re-checks at the next boundary); one suspended a moment ago still reads as active (included).
   */
  async walletToppedUp(organizationId: string): Promise<TopUpNotification> {
    const result: TopUpNotification = { signalled: [], notFound: [], failed: [] };
    let workflowIds: string[];
    try {
      workflowIds = await this.billingWorkflowsOf(organizationId);
    } catch (error) {
      this.logger.warn(`top-up of ${organizationId}: reading its servers failed: ${describe(error)}`);
      return result;
    }
    if (workflowIds.length === 0) return result;
    const client = this.client;
    if (!client) {
      this.logger.warn(
        `top-up of ${organizationId}: Temporal is not configured; ${workflowIds.length} billing workflow(s) ` +
          'will see the money at their next period boundary',
      );
      return { ...result, failed: workflowIds };
    }

    const deadline = Date.now() + TOP_UP_SIGNAL_DEADLINE_MS;
    const signalOne = async (workflowId: string) => {
      try {
        await client.withDeadline(deadline, () =>
          client.workflow.getHandle(workflowId).signal(walletToppedUpSignal),
        );
        result.signalled.push(workflowId);
      } catch (error) {
        if (error instanceof WorkflowNotFoundError) {
          result.notFound.push(workflowId);
          return;
        }
        result.failed.push(workflowId);
        this.logger.warn(`top-up of ${organizationId}: signalling ${workflowId} failed: ${describe(error)}`);
      }
    };
    for (let i = 0; i < workflowIds.length; i += TOP_UP_SIGNAL_CONCURRENCY) {
      await Promise.all(workflowIds.slice(i, i + TOP_UP_SIGNAL_CONCURRENCY).map(signalOne));
    }
    if (result.failed.length > 0) {
      this.logger.warn(
        `top-up of ${organizationId}: ${result.failed.length} billing workflow(s) not signalled; ` +
          'they retry their unpaid periods at their next period boundary',
      );
    }
    return result;
  }

  private async billingWorkflowsOf(organizationId: string): Promise<string[]> {
    const rows = await this.orm.em
      .fork()
      .find(
        VpsServerEntity,
        { organizationId, status: { $in: [...BILLED_STATUSES] } },
        { fields: ['id', 'billingWorkflowId'], orderBy: { id: 'asc' } },
      );
    return rows.map((row) => row.billingWorkflowId ?? billingWorkflowId(row.id));
  }

  private async signalCustomer(vpsId: string, workflowId: string, send: (client: Client) => Promise<void>) {
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

  private async signalStaff(
    vpsId: string,
    workflowId: string,
    action: 'retry' | 'abort',
    send: (client: Client) => Promise<void>,
  ): Promise<void> {
    const client = this.requireClient({ vpsId, workflowId });
    try {
      await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () => send(client));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof WorkflowNotFoundError) throw workflowNotRunning(action, vpsId);
      this.logger.warn(`signalling ${action} to ${workflowId} failed: ${describe(error)}`);
      throw temporalUnavailable(
        `The ${action} was recorded but the provisioning workflow could not be signalled (workflow engine unavailable); ` +
          'retry the request: it records nothing twice',
        { vpsId, workflowId },
      );
    }
  }

  /**
   * Starts `workflowId` unless it ever ran (REJECT_DUPLICATE): true when this call started it, false when it was
   * already started; `unavailable` is the error a caller gets when Temporal cannot be reached.
   */
  private async startOnce(
    client: Client,
    type: (typeof WORKFLOW_TYPES)[keyof typeof WORKFLOW_TYPES],
    workflowId: string,
    input: unknown,
    unavailable: () => Error,
    options: Pick<WorkflowStartOptions, 'workflowIdReusePolicy' | 'typedSearchAttributes'> = {},
  ): Promise<boolean> {
    try {
      await client.withDeadline(Date.now() + TEMPORAL_CALL_TIMEOUT_MS, () =>
        client.workflow.start(type, {
          workflowId,
          taskQueue: TASK_QUEUE,
          args: [input],
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          ...options,
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) return false;
      this.logger.warn(`starting ${workflowId} failed: ${describe(error)}`);
      throw unavailable();
    }
  }

  private requireClient(details: Record<string, unknown>): Client {
    if (!this.client) {
      throw temporalUnavailable(
        'The workflow engine (Temporal) is not configured on this API instance',
        details,
      );
    }
    return this.client;
  }
}
