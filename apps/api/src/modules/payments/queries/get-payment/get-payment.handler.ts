import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { paymentDto, type PaymentDto } from '../../shared/payment.dto';
import { PaymentSettlementService } from '../../shared/payment-settlement.service';
import { GetPaymentQuery } from './get-payment.query';

@QueryHandler(GetPaymentQuery)
export class GetPaymentHandler implements IQueryHandler<GetPaymentQuery, PaymentDto> {
  constructor(private readonly settlement: PaymentSettlementService) {}

  async execute(query: GetPaymentQuery): Promise<PaymentDto> {
    return paymentDto(await this.settlement.require(query.organizationId, query.paymentId));
  }
}
