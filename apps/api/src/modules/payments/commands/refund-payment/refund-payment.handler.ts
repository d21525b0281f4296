import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { checkRefund, formatMoney, paymentDebitKey } from '@stratus/domain';
import { ApiError } from '../../../../shared/errors/api-error';
import { paymentDto } from '../../shared/payment.dto';
import { PaymentProviders } from '@stratus/infra';
import { PaymentSettlementService } from '../../shared/payment-settlement.service';
import { RefundPaymentCommand } from './refund-payment.command';
import type { PaymentRefundedResponseDto } from './refund-payment.request.dto';

@CommandHandler(RefundPaymentCommand)
export class RefundPaymentHandler implements ICommandHandler<
  RefundPaymentCommand,
  PaymentRefundedResponseDto
> {
  constructor(
    private readonly providers: PaymentProviders,
    private readonly settlement: PaymentSettlementService,
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

    // The wallet gives back what its balance covers; the rest becomes outstanding debt, never a negative balance.
    const { walletDebited } = await this.settlement.debit(
      payment,
      {
        id: refund.refundId,
        amount,
        kind: 'payment_refund',
        description: `Refund of payment ${paymentId}`,
      },
      context,
    );

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
