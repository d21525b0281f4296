import type { PaymentProvider, PaymentProviderName } from '@stratus/domain';
import { PayPalPaymentProvider, type PayPalOptions } from './paypal-payment-provider';
import { StripePaymentProvider, type StripeOptions } from './stripe-payment-provider';

/** What the adapters are built from (the API's PaymentSettings and the workers' configuration fit). */
export interface PaymentProviderSettings {
  paypal: PayPalOptions;
  stripe: StripeOptions;
  /** Use these instead of adapters built from `paypal`/`stripe` (tests). */
  providers?: Partial<Record<PaymentProviderName, PaymentProvider>>;
}

/** The PaymentProvider adapters, built once from their settings (or the ones a test passes in). */
export class PaymentProviders {
  readonly paypal: PayPalPaymentProvider;
  readonly stripe: StripePaymentProvider;
  private readonly byName: Record<PaymentProviderName, PaymentProvider>;

  constructor(settings: PaymentProviderSettings) {
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
