import { formatMoney, MAX_MONEY_MICROS, type MoneyString } from '../money/money';
import {
  isDiscrepancyKind,
  type ReconciliationLine,
  type ReconciliationReport,
} from '../billing/reconciliation';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import type { ReconciliationEvent } from './reconciliation.events';

export const MAX_RESOLUTION_REASON_LENGTH = 500;

/** Store a finished replay (the report is computed outside: it reads the whole history). */
export type CompleteReconciliation = Command<
  'CompleteReconciliation',
  { reconciliationId: string; report: ReconciliationReport }
>;
/** Record the wallet adjustment that resolved a line (the adjustment is appended first, on the wallet). */
export type ResolveReconciliationLine = Command<
  'ResolveReconciliationLine',
  { lineId: string; adjustmentAmount: bigint; reason: string; walletEventRef: string }
>;
export type ReconciliationCommand = CompleteReconciliation | ResolveReconciliationLine;

export type ReconciliationState =
  | { status: 'none' }
  | {
      status: 'completed';
      reconciliationId: string;
      lines: Map<string, ReconciliationLine>;
      resolved: Map<string, { adjustmentAmount: MoneyString; walletEventRef: string }>;
    };

export function initialReconciliationState(): ReconciliationState {
  return { status: 'none' };
}

/** The line a resolution is for, or why it cannot be resolved (404 unknown, 409 already resolved / not a discrepancy). */
export function resolvableLine(state: ReconciliationState, lineId: string): ReconciliationLine {
  switch (state.status) {
    case 'none':
      throw new DomainError('not_found', 'reconciliation_not_found', 'Reconciliation not found');
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
    case 'CompleteReconciliation': {
      const reconciliationId = requireId(command.data.reconciliationId, 'reconciliationId');
      if (state.status === 'completed') {
        throw new DomainError('conflict', 'reconciliation_exists', 'This reconciliation was already stored', {
          reconciliationId,
        });
      }
      const { report } = command.data;
      return [
        {
          type: 'BillingReconciliationCompleted',
          data: {
            reconciliationId,
            from: report.from,
            to: report.to,
            organizationId: report.organizationId,
            periodSeconds: report.periodSeconds,
            summary: report.summary,
            lines: report.lines,
          },
        },
      ];
    }
    case 'ResolveReconciliationLine': {
      const line = resolvableLine(state, command.data.lineId);
      const completed = state as Extract<ReconciliationState, { status: 'completed' }>;
      const amount = command.data.adjustmentAmount;
      if (
        typeof amount !== 'bigint' ||
        amount === 0n ||
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
    case 'BillingReconciliationCompleted':
      return {
        status: 'completed',
        reconciliationId: event.data.reconciliationId,
        lines: new Map(event.data.lines.map((line) => [line.lineId, line])),
        resolved: new Map(),
      };
    case 'ReconciliationLineResolved': {
      if (state.status !== 'completed') return state;
      const resolved = new Map(state.resolved);
      resolved.set(event.data.lineId, {
        adjustmentAmount: event.data.adjustmentAmount,
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
