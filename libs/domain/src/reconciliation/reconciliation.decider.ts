import { formatMoney, MAX_MONEY_MICROS, type MoneyString } from '../money/money';
import {
  addReconciliationSummaries,
  emptyReconciliationSummary,
  isDiscrepancyKind,
  type ReconciliationLine,
  type ReconciliationSummary,
} from '../billing/reconciliation';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { ReconciliationEvent, ReconciliationWindow } from './reconciliation.events';

export const MAX_RESOLUTION_REASON_LENGTH = 500;

/** Start a run (the replay itself runs as a background job, which records its progress here). */
export type RequestReconciliation = Command<'RequestReconciliation', ReconciliationWindow>;
/** The replay of the organizations after the last progress, through `throughOrganizationId`. */
export type RecordReconciliationProgress = Command<
  'RecordReconciliationProgress',
  {
    throughOrganizationId: string;
    organizations: number;
    eventsRead: number;
    summary: ReconciliationSummary;
    lines: ReconciliationLine[];
  }
>;
export type FinishReconciliation = Command<'FinishReconciliation', Record<string, never>>;
export type FailReconciliation = Command<'FailReconciliation', { reason: string }>;
/** Record the wallet adjustment that resolved a line (the adjustment is appended first, on the wallet). */
export type ResolveReconciliationLine = Command<
  'ResolveReconciliationLine',
  {
    lineId: string;
    /** Signed, as moved on the wallet's balance; 0 only when all of it became debt (`debtRecorded`). */
    adjustmentAmount: bigint;
    /** A payment debit's part the balance could not cover, recorded as outstanding debt (default 0). */
    debtRecorded?: bigint;
    reason: string;
    walletEventRef: string;
  }
>;
export type ReconciliationCommand =
  | RequestReconciliation
  | RecordReconciliationProgress
  | FinishReconciliation
  | FailReconciliation
  | ResolveReconciliationLine;

export const MAX_FAILURE_REASON_LENGTH = 1000;

/** How far a run got (cumulative over its progress events). */
export interface ReconciliationProgress {
  organizations: number;
  eventsRead: number;
  /** The last organization replayed (organizations are replayed in id order); null before the first. */
  throughOrganizationId: string | null;
  summary: ReconciliationSummary;
}

export type ReconciliationState =
  | { status: 'none' }
  | {
      status: 'running';
      window: ReconciliationWindow;
      progress: ReconciliationProgress;
      lines: Map<string, ReconciliationLine>;
    }
  | {
      status: 'completed';
      reconciliationId: string;
      progress: ReconciliationProgress;
      lines: Map<string, ReconciliationLine>;
      resolved: Map<
        string,
        { adjustmentAmount: MoneyString; debtRecorded?: MoneyString; walletEventRef: string }
      >;
    }
  | { status: 'failed'; window: ReconciliationWindow; progress: ReconciliationProgress; reason: string };

export function initialReconciliationState(): ReconciliationState {
  return { status: 'none' };
}

const emptyProgress = (): ReconciliationProgress => ({
  organizations: 0,
  eventsRead: 0,
  throughOrganizationId: null,
  summary: emptyReconciliationSummary(),
});

function runningRun(state: ReconciliationState, reconciliationId?: string) {
  switch (state.status) {
    case 'running':
      return state;
    case 'none':
      throw new DomainError('not_found', 'reconciliation_not_found', 'Reconciliation not found');
    case 'completed':
    case 'failed':
      throw new DomainError('conflict', 'reconciliation_ended', `This reconciliation has ${state.status}`, {
        reconciliationId:
          reconciliationId ??
          (state.status === 'completed' ? state.reconciliationId : state.window.reconciliationId),
      });
    default:
      return assertNever(state);
  }
}

/** The line a resolution is for, or why it cannot be resolved (404 unknown, 409 already resolved / not a discrepancy). */
export function resolvableLine(state: ReconciliationState, lineId: string): ReconciliationLine {
  switch (state.status) {
    case 'none':
      throw new DomainError('not_found', 'reconciliation_not_found', 'Reconciliation not found');
    case 'running':
    case 'failed':
      throw new DomainError(
        'conflict',
        state.status === 'running' ? 'reconciliation_running' : 'reconciliation_failed',
        state.status === 'running'
          ? 'This reconciliation is still running: resolve its lines once it has completed'
          : 'This reconciliation failed: run it again',
        { lineId },
      );
    case 'completed': {
      const line = state.lines.get(lineId);
      if (!line)
        throw new DomainError('not_found', 'line_not_found', 'No such line in this reconciliation', {
          lineId,
        });
      const resolved = state.resolved.get(lineId);
      if (resolved) {
        throw new DomainError('conflict', 'line_already_resolved', 'This line was already resolved', {
          lineId,
          ...resolved,
        });
      }
      if (!isDiscrepancyKind(line.kind)) {
        throw new DomainError(
          'conflict',
          'line_not_a_discrepancy',
          `A line of kind ${line.kind} is not a billing error`,
          {
            lineId,
            kind: line.kind,
          },
        );
      }
      return line;
    }
    default:
      return assertNever(state);
  }
}

export function decideReconciliation(
  command: ReconciliationCommand,
  state: ReconciliationState,
): ReconciliationEvent[] {
  switch (command.type) {
    case 'RequestReconciliation': {
      const reconciliationId = requireId(command.data.reconciliationId, 'reconciliationId');
      if (state.status !== 'none') {
        throw new DomainError(
          'conflict',
          'reconciliation_exists',
          'This reconciliation was already requested',
          {
            reconciliationId,
          },
        );
      }
      const { from, to, organizationId, periodSeconds } = command.data;
      return [
        {
          type: 'BillingReconciliationRequested',
          data: { reconciliationId, from, to, organizationId, periodSeconds },
        },
      ];
    }
    case 'RecordReconciliationProgress': {
      const run = runningRun(state);
      const through = requireId(command.data.throughOrganizationId, 'throughOrganizationId');
      const last = run.progress.throughOrganizationId;
      if (last !== null && through <= last) {
        throw new DomainError('conflict', 'progress_out_of_order', 'Organizations are replayed in id order', {
          throughOrganizationId: through,
          last,
        });
      }
      const { organizations, eventsRead, summary, lines } = command.data;
      return [
        {
          type: 'BillingReconciliationProgressed',
          data: {
            reconciliationId: run.window.reconciliationId,
            throughOrganizationId: through,
            organizations,
            eventsRead,
            summary,
            lines,
          },
        },
      ];
    }
    case 'FinishReconciliation': {
      const run = runningRun(state);
      const { organizations, eventsRead, summary } = run.progress;
      return [
        {
          type: 'BillingReconciliationFinished',
          data: { reconciliationId: run.window.reconciliationId, organizations, eventsRead, summary },
        },
      ];
    }
    case 'FailReconciliation': {
      const run = runningRun(state);
      const reason = String(command.data.reason ?? '').slice(0, MAX_FAILURE_REASON_LENGTH) || 'failed';
      return [
        {
          type: 'BillingReconciliationFailed',
          data: { reconciliationId: run.window.reconciliationId, reason },
        },
      ];
    }
    case 'ResolveReconciliationLine': {
      const line = resolvableLine(state, command.data.lineId);
      const completed = state as Extract<ReconciliationState, { status: 'completed' }>;
      const amount = command.data.adjustmentAmount;
      const debt = command.data.debtRecorded ?? 0n;
      if (typeof debt !== 'bigint' || debt < 0n || debt > MAX_MONEY_MICROS) {
        throw new DomainError(
          'validation',
          'invalid_debt',
          'debtRecorded must be a non-negative number of micro-dollars',
          { field: 'debtRecorded' },
        );
      }
      if (
        typeof amount !== 'bigint' ||
        (amount === 0n && debt === 0n) ||
        (amount < 0n ? -amount : amount) > MAX_MONEY_MICROS
      ) {
        throw new DomainError(
          'validation',
          'invalid_amount',
          'amount must be a non-zero number of micro-dollars',
          {
            field: 'amount',
          },
        );
      }
      const reason = requireText(
        command.data.reason,
        'reason',
        'invalid_reason',
        MAX_RESOLUTION_REASON_LENGTH,
      );
      const walletEventRef = requireId(command.data.walletEventRef, 'walletEventRef');
      return [
        {
          type: 'ReconciliationLineResolved',
          data: {
            reconciliationId: completed.reconciliationId,
            lineId: line.lineId,
            organizationId: line.organizationId,
            chargeId: line.chargeId,
            adjustmentAmount: formatMoney(amount),
            ...(debt > 0n ? { debtRecorded: formatMoney(debt) } : {}),
            reason,
            walletEventRef,
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}

export function evolveReconciliation(
  state: ReconciliationState,
  event: ReconciliationEvent,
): ReconciliationState {
  switch (event.type) {
    case 'BillingReconciliationRequested':
      return { status: 'running', window: event.data, progress: emptyProgress(), lines: new Map() };
    case 'BillingReconciliationProgressed': {
      if (state.status !== 'running') return state;
      const lines = new Map(state.lines);
      for (const line of event.data.lines) lines.set(line.lineId, line);
      return {
        ...state,
        lines,
        progress: {
          organizations: state.progress.organizations + event.data.organizations,
          eventsRead: state.progress.eventsRead + event.data.eventsRead,
          throughOrganizationId: event.data.throughOrganizationId,
          summary: addReconciliationSummaries(state.progress.summary, event.data.summary),
        },
      };
    }
    case 'BillingReconciliationFinished':
      if (state.status !== 'running') return state;
      return {
        status: 'completed',
        reconciliationId: event.data.reconciliationId,
        progress: { ...state.progress, summary: event.data.summary },
        lines: state.lines,
        resolved: new Map(),
      };
    case 'BillingReconciliationFailed':
      if (state.status !== 'running') return state;
      return { status: 'failed', window: state.window, progress: state.progress, reason: event.data.reason };
    case 'BillingReconciliationCompleted':
      return {
        status: 'completed',
        reconciliationId: event.data.reconciliationId,
        progress: { ...emptyProgress(), summary: event.data.summary },
        lines: new Map(event.data.lines.map((line) => [line.lineId, line])),
        resolved: new Map(),
      };
    case 'ReconciliationLineResolved': {
      if (state.status !== 'completed') return state;
      const resolved = new Map(state.resolved);
      resolved.set(event.data.lineId, {
        adjustmentAmount: event.data.adjustmentAmount,
        ...(event.data.debtRecorded ? { debtRecorded: event.data.debtRecorded } : {}),
        walletEventRef: event.data.walletEventRef,
      });
      return { ...state, resolved };
    }
    default:
      return assertNever(event);
  }
}

export const reconciliationDecider: Decider<ReconciliationState, ReconciliationCommand, ReconciliationEvent> =
  {
    decide: decideReconciliation,
    evolve: evolveReconciliation,
    initialState: initialReconciliationState,
  };
