import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  formatMoney,
  money,
  parsePaymentLedgerKey,
  paymentDebitKey,
  paymentResolutionOf,
  reconciliationDecider,
  resolvableLine,
  streams,
  walletDecider,
  type ReconciliationLine,
  type WalletAdjusted,
  STRATUS_ID_NAMESPACE,
  WALLET_STREAM_POLICY,
} from '@stratus/domain';
import { deterministicEventId, type Position } from '@stratus/eventstore';
import { v5 as uuidv5 } from 'uuid';
import { ApiError } from '../../../../shared/errors/api-error';
import { CommandExecutor } from '@stratus/eventstore';
import { laterPosition } from '../../../../shared/http/command-response.dto';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import { isSettled, PaymentSettlementService } from '../../../payments/shared/payment-settlement.service';
import {
  ResolveReconciliationLineCommand,
  type ResolveReconciliationLineResult,
} from './resolve-reconciliation-line.command';

/** One adjustment per line, ever: a retry after a crash between the two appends re-appends nothing. */
export function resolutionAdjustmentId(reconciliationId: string, lineId: string): string {
  return uuidv5(`reconciliation-adjustment:${reconciliationId}:${lineId}`, STRATUS_ID_NAMESPACE);
}

@CommandHandler(ResolveReconciliationLineCommand)
export class ResolveReconciliationLineHandler implements ICommandHandler<
  ResolveReconciliationLineCommand,
  ResolveReconciliationLineResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly settlement: PaymentSettlementService,
  ) {}

  async execute(command: ResolveReconciliationLineCommand): Promise<ResolveReconciliationLineResult> {
    const { reconciliationId, lineId, reason, context } = command;
    const streamId = streams.reconciliation(reconciliationId);
    // 404 unknown run or line, 409 already resolved or not a discrepancy: before any money moves.
    const loaded = await this.executor.load(streamId, reconciliationDecider);
    const line = resolvableLine(loaded.state, lineId);
    const paymentAction = paymentResolutionOf(line.kind);
    if (paymentAction === 'payment_credit' || paymentAction === 'payment_debit') {
      if (command.amount !== null) {
        throw ApiError.badRequest(
          'amount_not_allowed',
          "This line is resolved by the payment's own credit or debit, of the amount the payment recorded",
          { field: 'amount' },
        );
      }
      const moved =
        paymentAction === 'payment_credit'
          ? await this.paymentCredit(line, context)
          : await this.paymentDebit(line, context);
      const resolved = await this.recordResolution(reconciliationId, lineId, moved, reason, context);
      return {
        reconciliationId,
        lineId,
        adjustmentAmount: formatMoney(moved.amount),
        debtRecorded: formatMoney(moved.debt),
        walletEventRef: moved.walletEventRef,
        balance: formatMoney(moved.balance),
        position: laterPosition(moved.position, resolved.position),
      };
    }
    const amount = command.amount ?? -money(line.difference);
    if (amount === 0n) {
      throw ApiError.badRequest('invalid_amount', 'The adjustment amount must not be zero', {
        field: 'amount',
      });
    }

    const walletEventRef = resolutionAdjustmentId(reconciliationId, lineId);
    const adjusted = await this.executor.execute({
      streamId: streams.wallet(line.organizationId),
      decider: walletDecider,
      context,
      policy: WALLET_STREAM_POLICY,
      eventId: () => walletEventRef,
      command: (_state, metadata) => ({
        type: 'AdjustWallet' as const,
        data: {
          amount,
          reason,
          reference: `reconciliation:${reconciliationId}:${lineId}`,
          subject: {
            chargeId: line.chargeId,
            ...(line.vpsId ? { vpsId: line.vpsId } : {}),
            ...(line.paymentId ? { paymentId: line.paymentId } : {}),
            reconciliationId,
            lineId,
          },
        },
        metadata,
      }),
    });
    const adjustment = adjusted.events[0] as WalletAdjusted | undefined;

    const resolved = await this.recordResolution(
      reconciliationId,
      lineId,
      { amount, debt: 0n, walletEventRef },
      reason,
      context,
    );
    return {
      reconciliationId,
      lineId,
      adjustmentAmount: adjustment?.data.amount ?? '0',
      debtRecorded: formatMoney(0n),
      walletEventRef,
      balance: adjustment?.data.balanceAfter ?? '0',
      position: laterPosition(adjusted.position, resolved.position),
    };
  }

  private recordResolution(
    reconciliationId: string,
    lineId: string,
    moved: { amount: bigint; debt: bigint; walletEventRef: string },
    reason: string,
    context: CommandContext,
  ) {
    return this.executor.execute({
      streamId: streams.reconciliation(reconciliationId),
      decider: reconciliationDecider,
      context,
      eventId: () => uuidv5(`reconciliation-resolved:${reconciliationId}:${lineId}`, STRATUS_ID_NAMESPACE),
      command: (_state, metadata) => ({
        type: 'ResolveReconciliationLine' as const,
        data: {
          lineId,
          adjustmentAmount: moved.amount,
          debtRecorded: moved.debt,
          reason,
          walletEventRef: moved.walletEventRef,
        },
        metadata,
      }),
    });
  }

  /** The payment a line names, captured under the line's capture (else the line no longer holds: 409). */
  private async settledPayment(line: ReconciliationLine) {
    const payment = line.paymentId ? await this.settlement.load(line.paymentId) : null;
    if (!payment || !isSettled(payment) || payment.organizationId !== line.organizationId) {
      throw new ApiError(409, 'payment_line_stale', 'The payment this line names is not captured', {
        lineId: line.lineId,
      });
    }
    return payment;
  }

  /**
   * A capture never credited: its own credit, with the event id every return, webhook and poll derives, so a
   * settlement that completes later (or did meanwhile) credits nothing more.
   */
  private async paymentCredit(line: ReconciliationLine, context: CommandContext): Promise<PaymentMove> {
    const key = parsePaymentLedgerKey(line.chargeId);
    const payment = await this.settledPayment(line);
    if (key?.kind !== 'credit' || key.captureId !== payment.captureId) {
      throw new ApiError(409, 'payment_line_stale', 'The payment was captured under another capture id', {
        lineId: line.lineId,
      });
    }
    const credit = await this.settlement.credit(payment, context);
    return {
      amount: payment.captured,
      debt: 0n,
      walletEventRef: credit.eventId,
      balance: credit.balance,
      position: credit.position,
    };
  }

  /**
   * A refund or dispute never debited: the settlement's own debit (what the balance covers, the rest recorded as
   * debt; ids from the provider's refund/dispute id, so a repeat debits nothing more). The resolution records what
   * the balance gave and, apart, what became debt (their sum is the line's amount).
   */
  private async paymentDebit(line: ReconciliationLine, context: CommandContext): Promise<PaymentMove> {
    const key = parsePaymentLedgerKey(line.chargeId);
    const payment = await this.settledPayment(line);
    if (key?.kind !== 'debit' || !payment.settledIds.includes(key.settlementId)) {
      throw new ApiError(409, 'payment_line_stale', 'The payment has no such refund or dispute', {
        lineId: line.lineId,
      });
    }
    const amount = money(line.expected);
    const { walletDebited, debt } = await this.settlement.debit(
      payment,
      {
        id: key.settlementId,
        amount,
        kind: line.kind === 'missing_dispute_debit' ? 'payment_dispute' : 'payment_refund',
        description: `${line.kind === 'missing_dispute_debit' ? 'Dispute' : 'Refund'} ${key.settlementId} of payment ${payment.paymentId} (reconciliation)`,
      },
      context,
    );
    const debitKey = paymentDebitKey(payment.provider, key.settlementId);
    const wallet = await this.executor.load(streams.wallet(line.organizationId), walletDecider);
    return {
      amount: -walletDebited,
      debt,
      walletEventRef: deterministicEventId(walletDebited > 0n ? debitKey : `${debitKey}:debt`),
      balance: wallet.state.status === 'open' ? wallet.state.balance : 0n,
      position: wallet.lastPosition,
    };
  }
}

interface PaymentMove {
  /** Signed, as the wallet's balance moved. */
  amount: bigint;
  /** What became outstanding debt instead (a payment debit the balance could not cover). */
  debt: bigint;
  walletEventRef: string;
  balance: bigint;
  position: Position | null;
}
