import { Module } from '@nestjs/common';
import { PaymentProviders } from '@stratus/infra';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../../shared/config/payment-settings';
import { CapturePaymentHandler } from './commands/capture-payment/capture-payment.handler';
import { CapturePaymentHttpController } from './commands/capture-payment/capture-payment.http.controller';
import { CreatePaymentHandler } from './commands/create-payment/create-payment.handler';
import { CreatePaymentHttpController } from './commands/create-payment/create-payment.http.controller';
import { ReceivePayPalWebhookHandler } from './commands/receive-paypal-webhook/receive-paypal-webhook.handler';
import { ReceivePayPalWebhookHttpController } from './commands/receive-paypal-webhook/receive-paypal-webhook.http.controller';
import { ReceiveStripeWebhookHandler } from './commands/receive-stripe-webhook/receive-stripe-webhook.handler';
import { ReceiveStripeWebhookHttpController } from './commands/receive-stripe-webhook/receive-stripe-webhook.http.controller';
import { RefundPaymentHandler } from './commands/refund-payment/refund-payment.handler';
import { RefundPaymentHttpController } from './commands/refund-payment/refund-payment.http.controller';
import { GetPaymentHandler } from './queries/get-payment/get-payment.handler';
import { GetPaymentHttpController } from './queries/get-payment/get-payment.http.controller';
import { ListAllPaymentsHandler } from './queries/list-all-payments/list-all-payments.handler';
import { ListAllPaymentsHttpController } from './queries/list-all-payments/list-all-payments.http.controller';
import { ListPaymentsHandler } from './queries/list-payments/list-payments.handler';
import { ListPaymentsHttpController } from './queries/list-payments/list-payments.http.controller';
import { PaymentSettlementService } from './shared/payment-settlement.service';
import { PaymentsReadModel } from './shared/payments-read-model';
import { WebhookInbox } from './shared/webhook-inbox.service';

/** Customer top-ups (PayPal Orders v2, Stripe Checkout), their webhooks, and staff refunds. */
@Module({
  controllers: [
    CreatePaymentHttpController,
    ListPaymentsHttpController,
    GetPaymentHttpController,
    CapturePaymentHttpController,
    ReceivePayPalWebhookHttpController,
    ReceiveStripeWebhookHttpController,
    ListAllPaymentsHttpController,
    RefundPaymentHttpController,
  ],
  providers: [
    {
      provide: PaymentProviders,
      useFactory: (settings: PaymentSettings) => new PaymentProviders(settings),
      inject: [PAYMENT_SETTINGS],
    },
    PaymentSettlementService,
    PaymentsReadModel,
    WebhookInbox,
    CreatePaymentHandler,
    CapturePaymentHandler,
    GetPaymentHandler,
    ListPaymentsHandler,
    ReceivePayPalWebhookHandler,
    ReceiveStripeWebhookHandler,
    ListAllPaymentsHandler,
    RefundPaymentHandler,
  ],
  // Reconciliation resolves a payment's missing credit or debit through the settlement's own (idempotent) path.
  exports: [PaymentSettlementService],
})
export class PaymentsModule {}
