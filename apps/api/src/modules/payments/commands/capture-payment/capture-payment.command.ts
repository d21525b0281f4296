import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { PaymentDto } from '../../shared/payment.dto';

/** The portal's return page: capture at the provider if needed and credit once. Any number of calls. */
export class CapturePaymentCommand extends Command<PaymentDto> {
  constructor(
    readonly organizationId: string,
    readonly paymentId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
