import { defaultPayloadConverter } from '@temporalio/common';
import { searchAttributes, WORKFLOW_TYPES, type ProvisioningStatus } from '@stratus/workflows';

/** Provisioning workflows as Temporal visibility lists them: the staff listing's filter, query and records. */

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
export interface RawExecution {
  execution?: { workflowId?: string | null; runId?: string | null } | null;
  status?: number | null;
  startTime?: { seconds?: unknown; nanos?: number | null } | null;
  closeTime?: { seconds?: unknown; nanos?: number | null } | null;
  searchAttributes?: { indexedFields?: Record<string, unknown> | null } | null;
}

function timestamp(ts: RawExecution['startTime']): string | null {
  if (!ts || ts.seconds === undefined || ts.seconds === null) return null;
  const millis = Number(String(ts.seconds)) * 1000 + Math.floor((ts.nanos ?? 0) / 1_000_000);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : null;
}

/** One visibility record as the operator sees it; `uiUrl` links a run's history in the Temporal Web UI. */
export function provisioningListing(
  raw: RawExecution,
  uiUrl: (workflowId: string, runId: string) => string,
): ProvisioningWorkflowListing {
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
    temporalUiUrl: uiUrl(workflowId, runId),
  };
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
