import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { WebhookReceivedResponseDto } from '../../shared/webhook-response.dto';

/** A Stripe delivery as received: the raw body and its Stripe-Signature (checked by the handler). */
export class ReceiveStripeWebhookCommand extends Command<WebhookReceivedResponseDto> {
  constructor(
    readonly rawBody: Buffer | undefined,
    readonly signature: string | undefined,
    readonly context: CommandContext,
  ) {
    super();
  }
}
