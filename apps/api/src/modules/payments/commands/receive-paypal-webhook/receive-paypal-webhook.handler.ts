import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { PaymentWebhookOutcome, ProviderCapture } from '@stratus/domain';
import { ApiError } from '../../../../shared/errors/api-error';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import { PaymentProviders } from '@stratus/infra';
import { PaymentSettlementService } from '../../shared/payment-settlement.service';
import type { WebhookReceivedResponseDto } from '../../shared/webhook-response.dto';
import { WebhookInbox } from '../../shared/webhook-inbox.service';
import { ReceivePayPalWebhookCommand } from './receive-paypal-webhook.command';

interface PayPalEvent {
  id: string;
  event_type: string;
  resource: Record<string, unknown>;
}

function isPayPalEvent(value: unknown): value is PayPalEvent {
  const event = value as Partial<PayPalEvent> | null;
  return (
    typeof event === 'object' &&
    event !== null &&
    typeof event.id === 'string' &&
    /^[A-Za-z0-9-]{1,100}$/.test(event.id) &&
    typeof event.event_type === 'string' &&
    typeof event.resource === 'object' &&
    event.resource !== null
  );
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.length > 0 ? value : null;

@CommandHandler(ReceivePayPalWebhookCommand)
export class ReceivePayPalWebhookHandler implements ICommandHandler<
  ReceivePayPalWebhookCommand,
  WebhookReceivedResponseDto
> {
  constructor(
    private readonly providers: PaymentProviders,
    private readonly settlement: PaymentSettlementService,
    private readonly inbox: WebhookInbox,
  ) {}

  async execute(command: ReceivePayPalWebhookCommand): Promise<WebhookReceivedResponseDto> {
    const event = command.event;
    if (!isPayPalEvent(event)) throw ApiError.badRequest('malformed_event', 'Not a PayPal webhook event');
    // PayPal checks the signature, the certificate chain and the transmission time against our webhook id.
    if (!(await this.providers.paypal.verifyWebhook(command.headers, event))) {
      throw ApiError.badRequest('invalid_signature', 'PayPal did not verify this webhook signature');
    }
    const outcome = await this.inbox.receive(
      { provider: 'paypal', providerEventId: event.id, eventType: event.event_type },
      command.context,
      () => this.apply(event, command.context),
    );
    return { received: true, outcome };
  }

  private async apply(
    event: PayPalEvent,
    context: CommandContext,
  ): Promise<{ outcome: PaymentWebhookOutcome; paymentId: string | null }> {
    const resource = event.resource;
    switch (event.event_type) {
      case 'CHECKOUT.ORDER.APPROVED': {
        // resource: the order; its purchase unit carries our payment id.
        const units = Array.isArray(resource.purchase_units)
          ? (resource.purchase_units as Record<string, unknown>[])
          : [];
        const paymentId = text(units[0]?.custom_id) ?? text(units[0]?.reference_id);
        const payment = paymentId ? await this.settlement.load(paymentId) : null;
        if (
          !paymentId ||
          !payment ||
          payment.status === 'none' ||
          payment.provider !== 'paypal' ||
          payment.providerOrderId !== text(resource.id)
        ) {
          return { outcome: 'unknown_payment', paymentId };
        }
        await this.settlement.settle(payment, 'webhook', context);
        return { outcome: 'applied', paymentId };
      }
      case 'PAYMENT.CAPTURE.COMPLETED':
      case 'PAYMENT.CAPTURE.DENIED':
      case 'PAYMENT.CAPTURE.DECLINED': {
        // resource: the capture; custom_id is our payment id, related_ids the order.
        const paymentId = text(resource.custom_id);
        const related = (resource.supplementary_data as { related_ids?: { order_id?: unknown } } | undefined)
          ?.related_ids;
        const payment = paymentId ? await this.settlement.load(paymentId) : null;
        if (
          !paymentId ||
          !payment ||
          payment.status === 'none' ||
          payment.provider !== 'paypal' ||
          (related?.order_id !== undefined && related.order_id !== payment.providerOrderId)
        ) {
          return { outcome: 'unknown_payment', paymentId };
        }
        const amount = resource.amount as { value?: unknown; currency_code?: unknown } | undefined;
        const captureId = text(resource.id);
        if (event.event_type !== 'PAYMENT.CAPTURE.COMPLETED') {
          await this.settlement.apply(
            payment,
            { status: 'failed', reason: 'capture declined' },
            'webhook',
            context,
          );
          return { outcome: 'applied', paymentId };
        }
        if (!captureId || !text(amount?.value) || !text(amount?.currency_code)) {
          throw ApiError.badRequest('malformed_event', 'The capture has no id or amount');
        }
        const answer: ProviderCapture = {
          status: 'captured',
          captureId,
          amount: amount!.value as string,
          currency: amount!.currency_code as string,
        };
        await this.settlement.apply(payment, answer, 'webhook', context);
        return { outcome: 'applied', paymentId };
      }
      case 'CUSTOMER.DISPUTE.CREATED': {
        // resource: the dispute; it names the capture (seller_transaction_id), not the order or our id.
        const transactions = Array.isArray(resource.disputed_transactions)
          ? (resource.disputed_transactions as Record<string, unknown>[])
          : [];
        const captureId = text(transactions[0]?.seller_transaction_id);
        const disputeId = text(resource.dispute_id);
        const amount = resource.dispute_amount as { value?: unknown; currency_code?: unknown } | undefined;
        if (
          !captureId ||
          !disputeId ||
          !text(amount?.value) ||
          !/^\d{1,10}(\.\d{1,2})?$/.test(String(amount?.value))
        ) {
          throw ApiError.badRequest('malformed_event', 'The dispute has no id, capture or amount');
        }
        const paymentId = await this.settlement.paymentIdOfCapture('paypal', captureId);
        const payment = paymentId ? await this.settlement.load(paymentId) : null;
        if (!paymentId || !payment || payment.status === 'none')
          return { outcome: 'unknown_payment', paymentId };
        await this.settlement.dispute(
          payment,
          { disputeId, amount: amount!.value as string, reason: text(resource.reason) ?? 'dispute' },
          context,
        );
        return { outcome: 'applied', paymentId };
      }
      default:
        return { outcome: 'ignored', paymentId: null };
    }
  }
}
