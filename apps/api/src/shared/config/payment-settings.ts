import type { PaymentLimits, PaymentProvider } from '@stratus/domain';
import { parseMoney } from '@stratus/domain';
import { CONFIG_SCHEMA, durationSeconds, type ConfigKey, type VariableSpec } from '@stratus/infra';
import type { PaymentWorkflowInput } from '@stratus/workflows';
import type { ApiConfig } from './api-config';

/** Resolved PaymentSettings: the providers' credentials, the customer limits and the portal's return pages. */
export const PAYMENT_SETTINGS = Symbol('PAYMENT_SETTINGS');

export interface PaymentSettings {
  paypal: { apiUrl: string; clientId: string; clientSecret: string; webhookId: string };
  stripe: { apiUrl: string; secretKey: string; webhookSecret: string };
  /** PAYMENT_MIN_AMOUNT, PAYMENT_MAX_AMOUNT, PAYMENT_DAILY_LIMIT as micros. */
  limits: PaymentLimits;
  /** PORTAL_URL: customers come back to `${portalUrl}/billing/payments/<id>/…`. */
  portalUrl: string;
  /**
   * What each payment's workflow is started with: PAYMENT_EXPIRE_AFTER as `expireAfterSeconds`; tests also
   * shorten its polls (`pollSeconds`, `maxPollSeconds`).
   */
  workflow: Omit<PaymentWorkflowInput, 'paymentId'>;
  /** Use these instead of adapters built from `paypal`/`stripe` (tests). */
  providers?: Partial<Record<'paypal' | 'stripe', PaymentProvider>>;
}

function schemaDefault(key: ConfigKey): string {
  return (CONFIG_SCHEMA[key] as VariableSpec).default ?? '';
}

/** `config.payments` (from apiConfigFrom, or a test) first, then the schema's defaults. */
export function resolvePaymentSettings(config: ApiConfig): PaymentSettings {
  const given = config.payments ?? {};
  const usd = (key: ConfigKey) => parseMoney(schemaDefault(key));
  return {
    paypal: given.paypal ?? {
      apiUrl: schemaDefault('PAYPAL_API_URL'),
      clientId: schemaDefault('PAYPAL_CLIENT_ID'),
      clientSecret: schemaDefault('PAYPAL_CLIENT_SECRET'),
      webhookId: schemaDefault('PAYPAL_WEBHOOK_ID'),
    },
    stripe: given.stripe ?? {
      apiUrl: schemaDefault('STRIPE_API_URL'),
      secretKey: schemaDefault('STRIPE_SECRET_KEY'),
      webhookSecret: schemaDefault('STRIPE_WEBHOOK_SECRET'),
    },
    limits: given.limits ?? {
      min: usd('PAYMENT_MIN_AMOUNT'),
      max: usd('PAYMENT_MAX_AMOUNT'),
      daily: usd('PAYMENT_DAILY_LIMIT'),
    },
    portalUrl: (given.portalUrl ?? schemaDefault('PORTAL_URL')).replace(/\/+$/, ''),
    workflow: given.workflow ?? {
      expireAfterSeconds: durationSeconds(schemaDefault('PAYMENT_EXPIRE_AFTER'))!,
    },
    ...(given.providers ? { providers: given.providers } : {}),
  };
}
