export * from './paypal-simulator';
export * from './webhook-dispatcher';
export {
  PAYPAL_FAULT_MODES,
  PAYPAL_OPERATIONS,
  PayPalState,
  type PayPalFault,
  type PayPalFaultMode,
  type PayPalFaultSpec,
  type PayPalOperation,
} from './paypal-state';
