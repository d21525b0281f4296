import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  checkRefund,
  formatMoney,
  money,
  paymentDebitChargeId,
  paymentDebitKey,
  streams,
  walletDecider,
  WALLET_STREAM_POLICY,
  type WalletCharged,
} from '@stratus/domain';
import { CommandExecutor, deterministicEventId } from '@stratus/eventstore';
import { ApiError } from '../../../../shared/errors/api-error';
import { paymentDto } from '../../shared/payment.dto';
import { PaymentProviders } from '../../shared/payment-providers.service';
import { PaymentSettlement } from '../../shared/payment-settlement.service';
import { RefundPaymentCommand } from './refund-payment.command';
import type { PaymentRefundedResponseDto } from './refund-payment.request.dto';

@CommandHandler(RefundPaymentCommand)
export class RefundPaymentHandler implements ICommandHandler<
  RefundPaymentCommand,
  PaymentRefundedResponseDto
> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly providers: PaymentProviders,
    private readonly settlement: PaymentSettlement,
  ) {}

  async execute(command: RefundPaymentCommand): Promise<PaymentRefundedResponseDto> {
    const { paymentId, amount, context } = command;
    const state = await this.settlement.load(paymentId);
    if (state.status === 'none') throw new ApiError(404, 'payment_not_found', 'Payment not found');
    const payment = checkRefund(state, amount);
    const refund = await this.providers.get(payment.provider).refund({
      refundKey: `${paymentId}:${command.idempotencyKey}`,
      captureId: payment.captureId,
      amount,
      reason: command.reason,
    });

    // The wallet gives back what its balance covers; the rest is reported as uncovered, never a negative balance.
    const debitId = deterministicEventId(paymentDebitKey(payment.provider, refund.refundId));
    const debit = await this.executor.execute({
      streamId: streams.wallet(payment.organizationId),
      decider: walletDecider,
      context,
      policy: WALLET_STREAM_POLICY,
      eventId: () => debitId,
      appliedIds: [debitId],
      command: (wallet, metadata) => {
        const covered = wallet.status === 'open' && wallet.balance > 0n ? min(wallet.balance, amount) : 0n;
        if (covered === 0n) return null;
        return {
          type: 'ChargeWallet' as const,
          data: {
            chargeId: paymentDebitChargeId(paymentId, refund.refundId),
            amount: covered,
            description: `Refund of payment ${paymentId}`,
            subject: { paymentId, refundId: refund.refundId, kind: 'payment_refund' },
            rejectIfInsufficient: true,
          },
          metadata,
        };
      },
    });
    const charged = debit.events.find((event) => event.type === 'WalletCharged') as WalletCharged | undefined;
    const walletDebited = charged ? money(charged.data.amount) : 0n;

    const recorded = await this.settlement.run(
      paymentId,
      {
        type: 'RecordPaymentRefund',
        data: { refundId: refund.refundId, amount, reason: command.reason, walletDebited },
      },
      context,
      paymentDebitKey(payment.provider, refund.refundId),
    );
    const after = recorded.state.status === 'none' ? payment : recorded.state;
    return {
      refundId: refund.refundId,
      walletDebited: formatMoney(walletDebited),
      uncovered: formatMoney(amount - walletDebited),
      payment: paymentDto(after),
    };
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
