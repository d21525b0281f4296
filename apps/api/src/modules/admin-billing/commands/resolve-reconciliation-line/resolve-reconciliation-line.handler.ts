import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  money,
  reconciliationDecider,
  resolvableLine,
  streams,
  walletDecider,
  type WalletAdjusted,
  STRATUS_ID_NAMESPACE,
  WALLET_STREAM_POLICY,
} from '@stratus/domain';
import { v5 as uuidv5 } from 'uuid';
import { ApiError } from '../../../../shared/errors/api-error';
import { CommandExecutor } from '@stratus/eventstore';
import { laterPosition } from '../../../../shared/http/command-response.dto';
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
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: ResolveReconciliationLineCommand): Promise<ResolveReconciliationLineResult> {
    const { reconciliationId, lineId, reason, context } = command;
    const streamId = streams.reconciliation(reconciliationId);
    // 404 unknown run or line, 409 already resolved or not a discrepancy: before any money moves.
    const loaded = await this.executor.load(streamId, reconciliationDecider);
    const line = resolvableLine(loaded.state, lineId);
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
          subject: { chargeId: line.chargeId, vpsId: line.vpsId, reconciliationId, lineId },
        },
        metadata,
      }),
    });
    const adjustment = adjusted.events[0] as WalletAdjusted | undefined;

    const resolved = await this.executor.execute({
      streamId,
      decider: reconciliationDecider,
      context,
      eventId: () => uuidv5(`reconciliation-resolved:${reconciliationId}:${lineId}`, STRATUS_ID_NAMESPACE),
      command: (_state, metadata) => ({
        type: 'ResolveReconciliationLine' as const,
        data: { lineId, adjustmentAmount: amount, reason, walletEventRef },
        metadata,
      }),
    });
    return {
      reconciliationId,
      lineId,
      adjustmentAmount: adjustment?.data.amount ?? '0',
      walletEventRef,
      balance: adjustment?.data.balanceAfter ?? '0',
      position: laterPosition(adjusted.position, resolved.position),
    };
  }
}
