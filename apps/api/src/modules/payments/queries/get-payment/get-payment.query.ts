import { Query } from '@nestjs/cqrs';
import type { PaymentDto } from '../../shared/payment.dto';

/** Read from the payment's stream: the return page sees its own capture at once. */
export class GetPaymentQuery extends Query<PaymentDto> {
  constructor(
    readonly organizationId: string,
    readonly paymentId: string,
  ) {
    super();
  }
}
