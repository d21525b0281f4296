export * from './payment-providers';
export * from './payment-settlement';
export * from './paypal-payment-provider';
export * from './stripe-payment-provider';
