import { Command } from '@nestjs/cqrs';
import type { PaymentProviderName } from '@stratus/domain';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { PaymentDto } from '../../shared/payment.dto';

export interface CreatePaymentResult {
  payment: PaymentDto;
  /** The Idempotency-Key was seen before: this is the original payment, nothing new was created. */
  replayed: boolean;
}

/** A customer top-up: an order at the provider, then the payment stream. `amount` is the raw input. */
export class CreatePaymentCommand extends Command<CreatePaymentResult> {
  constructor(
    readonly organizationId: string,
    readonly provider: PaymentProviderName,
    readonly amount: string,
    readonly idempotencyKey: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
