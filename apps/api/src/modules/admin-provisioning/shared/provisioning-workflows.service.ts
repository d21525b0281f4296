import { Inject, Injectable, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { CONFIG_SCHEMA, type VariableSpec } from '@stratus/infra';
import {
  abortProvisioningSignal,
  provisioningWorkflowId,
  retryProvisioningSignal,
  searchAttributes,
  TASK_QUEUE,
  WORKFLOW_TYPES,
  type ProvisioningStatus,
} from '@stratus/workflows';
import { API_CONFIG, type ApiConfig } from '../../../shared/config/api-config';
import { ApiError } from '../../../shared/errors/api-error';
import {
  TEMPORAL_CLIENT,
  TEMPORAL_SETTINGS,
  type TemporalSettings,
} from '../../../shared/temporal/temporal.tokens';
import {
  TEMPORAL_CALL_TIMEOUT_MS,
  temporalUnavailable,
  VpsWorkflows,
} from '../../vps/shared/workflow-starter.service';

export type ProvisioningState = ProvisioningStatus['state'];
export const PROVISIONING_STATES: readonly ProvisioningState[] = [
  'running',
  'stuck',
  'compensating',
  'failed',
  'active',
];

/** Temporal's execution status names (WorkflowExecutionStatus), as the visibility API numbers them. */
const EXECUTION_STATUS: Record<number, string> = {
  1: 'RUNNING',
  2: 'COMPLETED',
  3: 'FAILED',
  4: 'CANCELLED',
  5: 'TERMINATED',
  6: 'CONTINUED_AS_NEW',
  7: 'TIMED_OUT',
  8: 'PAUSED',
};

export interface ProvisioningWorkflowListing {
  vpsId: string | null;
  organizationId: string | null;
  /** From StratusProvisioningState; a closed workflow that did not finish `active` or `failed` counts as failed. */
  state: ProvisioningState | null;
  stage: string | null;
  attempt: number | null;
  lastError: string | null;
  workflowId: string;
  runId: string;
  status: string;
  startTime: string;
  closeTime: string | null;
  temporalUiUrl: string;
}

export interface ProvisioningListFilter {
  state: ProvisioningState | null;
  organizationId: string | null;
  limit: number;
  pageToken: string | null;
}

/** One field of the raw visibility record: decoded payloads of the search attributes we set. */
interface RawExecution {
  execution?: { workflowId?: string | null; runId?: string | null } | null;
  status?: number | null;
  startTime?: { seconds?: unknown; nanos?: number | null } | null;
  closeTime?: { seconds?: unknown; nanos?: number | null } | null;
  searchAttributes?: { indexedFields?: Record<string, unknown> | null } | null;
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

function timestamp(ts: RawExecution['startTime']): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const millis = Number(String(ts.seconds)) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : null;
}

/**
 * Operator access to provisioning workflows: visibility listing, the retry/abort signals and termination.
 * Every Temporal call has a deadline; Temporal unreachable is a 503 with a clear message, never a 500.
 */
@Injectable()
export class ProvisioningWorkflows {
  private readonly logger = new Logger('ProvisioningWorkflows');
  private readonly uiBase: string;

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client | null,
    @Inject(TEMPORAL_SETTINGS) private readonly settings: TemporalSettings | null,
    @Inject(API_CONFIG) config: ApiConfig,
    private readonly vpsWorkflows: VpsWorkflows,
  ) {
    const base =
      config.temporalUiUrl ||
      process.env.TEMPORAL_UI_URL ||
      ((CONFIG_SCHEMA.TEMPORAL_UI_URL as VariableSpec).default ?? 'http://localhost:8233');
    this.uiBase = base.replace(/\/+$/, '');
  }

  /** The Temporal Web UI page of one run's history. */
  uiUrl(workflowId: string, runId: string): string {
    const namespace = encodeURIComponent(this.settings?.namespace ?? 'default');
    return `${this.uiBase}/namespaces/${namespace}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
  }

  /**
   * Provisioning workflows from Temporal visibility, newest first. The raw ListWorkflowExecutions call (what
   * `client.workflow.list` runs) because the operator pages with the server's own page token.
   */
  async list(
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
    const items = (response.executions ?? []).map((raw) => this.listing(raw as RawExecution));
    const token = response.nextPageToken;
    return {
      items,
      nextPageToken: token && token.length > 0 ? Buffer.from(token).toString('base64url') : null,
    };
  }

  /** retryProvisioning: the stuck workflow waits for it. Not found = the workflow is not running. */
  async signalRetry(vpsId: string): Promise<void> {
    const workflowId = provisioningWorkflowId(vpsId);
    await this.call(vpsId, workflowId, 'retry', (client) =>
      client.workflow.getHandle(workflowId).signal(retryProvisioningSignal),
    );
  }

  /**
   * abortProvisioning, with start: a server whose workflow never started (Temporal was down at creation) gets
   * one that aborts at once; a workflow that already finished is not started again (REJECT_DUPLICATE).
   */
  async signalAbort(vpsId: string, organizationId: string, reason: string): Promise<void> {
    const workflowId = provisioningWorkflowId(vpsId);
    await this.call(vpsId, workflowId, 'abort', async (client) => {
      try {
        await client.workflow.signalWithStart(WORKFLOW_TYPES.provisioning, {
          workflowId,
          taskQueue: TASK_QUEUE,
          args: [this.vpsWorkflows.provisioningInput(vpsId, organizationId)],
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
  async terminate(vpsId: string, reason: string): Promise<boolean> {
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

  private async call(
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

  private listing(raw: RawExecution): ProvisioningWorkflowListing {
    const fields = raw.searchAttributes?.indexedFields ?? {};
    const read = (name: string): unknown => {
      const payload = fields[name];
      if (!payload) return null;
      try {
        const value: unknown = defaultPayloadConverter.fromPayload(payload as never);
        return Array.isArray(value) ? (value[0] ?? null) : value;
      } catch {
        return null;
      }
    };
    const text = (name: string) => {
      const value = read(name);
      return typeof value === 'string' && value.length > 0 ? value : null;
    };
    const workflowId = raw.execution?.workflowId ?? '';
    const runId = raw.execution?.runId ?? '';
    const status = EXECUTION_STATUS[raw.status ?? 0] ?? 'UNSPECIFIED';
    const published = text(searchAttributes.provisioningState.name) as ProvisioningState | null;
    // A terminated (or crashed) run keeps the state it last published, e.g. 'stuck': it is failed now.
    const state =
      status === 'RUNNING' || published === 'active' || published === 'failed'
        ? published
        : published === null
          ? null
          : 'failed';
    const attempt = read(searchAttributes.attempt.name);
    return {
      vpsId: text(searchAttributes.vpsId.name),
      organizationId: text(searchAttributes.organizationId.name),
      state,
      stage: text(searchAttributes.provisioningStage.name),
      attempt: typeof attempt === 'number' ? attempt : null,
      lastError: text(searchAttributes.lastError.name),
      workflowId,
      runId,
      status,
      startTime: timestamp(raw.startTime) ?? new Date(0).toISOString(),
      closeTime: timestamp(raw.closeTime),
      temporalUiUrl: this.uiUrl(workflowId, runId),
    };
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

/**
 * The visibility query. Values are validated before they get here (a state from the enum, a uuid), so quoting
 * cannot be broken out of. running/stuck/compensating are open runs; failed includes runs terminated by staff.
 */
export function visibilityQuery(filter: Pick<ProvisioningListFilter, 'state' | 'organizationId'>): string {
  const clauses = [`WorkflowType = '${WORKFLOW_TYPES.provisioning}'`];
  const stateKey = searchAttributes.provisioningState.name;
  switch (filter.state) {
    case null:
      break;
    case 'running':
    case 'stuck':
    case 'compensating':
      clauses.push(`${stateKey} = '${filter.state}'`, `ExecutionStatus = 'Running'`);
      break;
    case 'failed':
      clauses.push(
        `(${stateKey} = 'failed' OR ExecutionStatus = 'Terminated' OR ExecutionStatus = 'Failed' OR ExecutionStatus = 'TimedOut')`,
      );
      break;
    case 'active':
      clauses.push(`${stateKey} = 'active'`);
      break;
    default: {
      const never: never = filter.state;
      throw new Error(`unknown state ${String(never)}`);
    }
  }
  if (filter.organizationId) {
    clauses.push(`${searchAttributes.organizationId.name} = '${filter.organizationId}'`);
  }
  return clauses.join(' AND ');
}
