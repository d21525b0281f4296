import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '../../../../shared/auth/public.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { WebhookReceivedResponseDto } from '../../shared/webhook-response.dto';
import { ReceiveStripeWebhookCommand } from './receive-stripe-webhook.command';

@ApiTags('webhooks')
@Controller('webhooks/stripe')
export class ReceiveStripeWebhookHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Receive a Stripe event (Checkout Session completed, failed, expired)' })
  @ApiHeader({
    name: 'Stripe-Signature',
    required: true,
    description: 'HMAC of the raw body (300 s tolerance)',
  })
  @ApiOkResponse({ type: WebhookReceivedResponseDto })
  @ApiErrorResponses({ 400: 'Forged, stale or malformed event: nothing changed' })
  receive(
    @Req() req: RawBodyRequest<Request>,
    @Headers('stripe-signature') signature: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<WebhookReceivedResponseDto> {
    return this.commandBus.execute(new ReceiveStripeWebhookCommand(req.rawBody, signature, context));
  }
}
