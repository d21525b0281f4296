/**
 * The PayPal operations Stratus uses, validated against PayPal's official OpenAPI specifications
 * (shared/specs/paypal/ beside the repository: checkout_orders_v2.json, payments_payment_v2.json,
 * notifications_webhooks_v1.json) with the generic validator. The OAuth2 token endpoint is in none of them.
 */
import { locateSharedSpec, loadSpecValidator, SpecSource, SpecValidator } from '../openapi/spec-validator';

export const PAYPAL_SPEC_SOURCES: readonly SpecSource[] = [
  {
    path: locateSharedSpec('paypal/checkout_orders_v2.json'),
    operations: [
      { method: 'POST', template: '/v2/checkout/orders' },
      { method: 'GET', template: '/v2/checkout/orders/{id}' },
      { method: 'POST', template: '/v2/checkout/orders/{id}/capture' },
    ],
  },
  {
    path: locateSharedSpec('paypal/payments_payment_v2.json'),
    operations: [
      { method: 'GET', template: '/v2/payments/captures/{capture_id}' },
      { method: 'POST', template: '/v2/payments/captures/{capture_id}/refund' },
    ],
  },
  {
    path: locateSharedSpec('paypal/notifications_webhooks_v1.json'),
    operations: [{ method: 'POST', template: '/v1/notifications/verify-webhook-signature' }],
    // The body of every webhook delivery.
    schemas: ['event'],
  },
];

export type PayPalSpecValidator = SpecValidator;

/**
 * PayPal's internal format names; each of those fields also carries the pattern and lengths that define it, so the
 * name itself adds nothing to check.
 */
const PAYPAL_FORMATS = Object.fromEntries(
  [
    'merchant_common_email_address_v2',
    'payer_v1',
    'ppaas_common_country_code_v2',
    'ppaas_common_currency_code_v2',
    'ppaas_common_email_address_v2',
    'ppaas_common_language_v3',
    'ppaas_date_notime_v2',
    'ppaas_date_time_v3',
    'ppaas_ip_address_v1',
    'ppaas_payer_id_v3',
  ].map((name) => [name, true] as const),
);

/** Reads and compiles the three specs once per process (per jest test file). */
export function loadPayPalSpecValidator(): Promise<PayPalSpecValidator> {
  return loadSpecValidator(PAYPAL_SPEC_SOURCES, { formats: PAYPAL_FORMATS });
}
