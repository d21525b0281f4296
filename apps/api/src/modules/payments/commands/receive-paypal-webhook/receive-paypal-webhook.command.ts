import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { PayPalWebhookHeaders } from '@stratus/infra';
import type { WebhookReceivedResponseDto } from '../../shared/webhook-response.dto';

/** A PayPal delivery: the event as parsed and its PAYPAL-* signature headers (verified by PayPal). */
export class ReceivePayPalWebhookCommand extends Command<WebhookReceivedResponseDto> {
  constructor(
    readonly event: unknown,
    readonly headers: PayPalWebhookHeaders,
    readonly context: CommandContext,
  ) {
    super();
  }
}
