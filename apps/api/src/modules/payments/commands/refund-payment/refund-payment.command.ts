import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { PaymentRefundedResponseDto } from './refund-payment.request.dto';

/** Staff refund: through the provider, then a wallet debit of what the balance covers. `amount` in micros. */
export class RefundPaymentCommand extends Command<PaymentRefundedResponseDto> {
  constructor(
    readonly paymentId: string,
    readonly amount: bigint,
    readonly reason: string,
    readonly idempotencyKey: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
