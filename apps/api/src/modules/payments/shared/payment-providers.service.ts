import { Inject, Injectable } from '@nestjs/common';
import type { PaymentProvider, PaymentProviderName } from '@stratus/domain';
import { PAYMENT_SETTINGS, type PaymentSettings } from '../../../shared/config/payment-settings';
import { PayPalPaymentProvider } from './paypal-payment-provider';
import { StripePaymentProvider } from './stripe-payment-provider';

/** The PaymentProvider adapters, built once from PaymentSettings (or the ones a test passes in). */
@Injectable()
export class PaymentProviders {
  readonly paypal: PayPalPaymentProvider;
  readonly stripe: StripePaymentProvider;
  private readonly byName: Record<PaymentProviderName, PaymentProvider>;

  constructor(@Inject(PAYMENT_SETTINGS) settings: PaymentSettings) {
    this.paypal = new PayPalPaymentProvider(settings.paypal);
    this.stripe = new StripePaymentProvider(settings.stripe);
    this.byName = {
      paypal: settings.providers?.paypal ?? this.paypal,
      stripe: settings.providers?.stripe ?? this.stripe,
    };
  }

  get(name: PaymentProviderName): PaymentProvider {
    return this.byName[name];
  }
}
