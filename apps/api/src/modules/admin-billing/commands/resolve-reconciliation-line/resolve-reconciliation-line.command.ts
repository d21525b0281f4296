import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface ResolveReconciliationLineResult {
  reconciliationId: string;
  lineId: string;
  /** Signed, as moved on the wallet's balance (+ back to the customer). */
  adjustmentAmount: string;
  /** What became outstanding debt instead ("0.000000" unless a payment debit the balance could not cover). */
  debtRecorded: string;
  /** The WalletAdjusted event id. */
  walletEventRef: string;
  balance: string;
  position: Position | null;
}

/** Correct a discrepancy: a wallet adjustment referencing the charge, then the resolution on the run's stream. */
export class ResolveReconciliationLineCommand extends Command<ResolveReconciliationLineResult> {
  constructor(
    readonly reconciliationId: string,
    readonly lineId: string,
    readonly reason: string,
    /** Signed micro-dollars given by the operator; null: the line's difference reversed. */
    readonly amount: bigint | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}
