import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../../../shared/auth/public.decorator';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { WebhookReceivedResponseDto } from '../../shared/webhook-response.dto';
import { ReceivePayPalWebhookCommand } from './receive-paypal-webhook.command';

@ApiTags('webhooks')
@Controller('webhooks/paypal')
export class ReceivePayPalWebhookHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Post()
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Receive a PayPal event (order approved, capture completed or denied)' })
  @ApiBody({ description: 'A PayPal webhook event (notifications_webhooks_v1)', schema: { type: 'object' } })
  @ApiOkResponse({ type: WebhookReceivedResponseDto })
  @ApiErrorResponses({
    400: 'Forged, unverifiable or malformed event: nothing changed',
    502: 'PayPal could not be asked to verify the signature; PayPal redelivers',
  })
  receive(
    @Body() event: unknown,
    @Headers('paypal-auth-algo') authAlgo: string | undefined,
    @Headers('paypal-cert-url') certUrl: string | undefined,
    @Headers('paypal-transmission-id') transmissionId: string | undefined,
    @Headers('paypal-transmission-sig') transmissionSig: string | undefined,
    @Headers('paypal-transmission-time') transmissionTime: string | undefined,
    @Ctx() context: CommandContext,
  ): Promise<WebhookReceivedResponseDto> {
    return this.commandBus.execute(
      new ReceivePayPalWebhookCommand(
        event,
        {
          'paypal-auth-algo': authAlgo,
          'paypal-cert-url': certUrl,
          'paypal-transmission-id': transmissionId,
          'paypal-transmission-sig': transmissionSig,
          'paypal-transmission-time': transmissionTime,
        },
        context,
      ),
    );
  }
}
