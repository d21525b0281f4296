import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { paymentDto, type PaymentDto } from '../../shared/payment.dto';
import { PaymentSettlementService } from '../../shared/payment-settlement.service';
import { CapturePaymentCommand } from './capture-payment.command';

@CommandHandler(CapturePaymentCommand)
export class CapturePaymentHandler implements ICommandHandler<CapturePaymentCommand, PaymentDto> {
  constructor(private readonly settlement: PaymentSettlementService) {}

  async execute(command: CapturePaymentCommand): Promise<PaymentDto> {
    const payment = await this.settlement.require(command.organizationId, command.paymentId);
    const state = await this.settlement.settle(payment, 'return', command.context);
    return paymentDto(state.status === 'none' ? payment : state);
  }
}
