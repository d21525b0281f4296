import {
  PaymentProviderError,
  providerAmountText,
  type PaymentProvider,
  type ProviderCapture,
  type ProviderOrder,
  type ProviderRefund,
} from '@stratus/domain';

export interface PayPalOptions {
  /** https://api-m.sandbox.paypal.com, https://api-m.paypal.com or the simulator (PAYPAL_API_URL). */
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  /** PAYPAL_WEBHOOK_ID: verify-webhook-signature checks a delivery against this webhook (the API's only). */
  webhookId?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

interface PayPalCapture {
  id: string;
  status: string;
  amount?: { currency_code: string; value: string };
}
interface PayPalOrder {
  id: string;
  status: string;
  links?: { href: string; rel: string }[];
  purchase_units?: { payments?: { captures?: PayPalCapture[] } }[];
}

/** PayPal's signature headers, as delivered with a webhook. */
export interface PayPalWebhookHeaders {
  'paypal-auth-algo'?: string;
  'paypal-cert-url'?: string;
  'paypal-transmission-id'?: string;
  'paypal-transmission-sig'?: string;
  'paypal-transmission-time'?: string;
}

/**
 * PayPal Orders v2 over fetch: OAuth2 client-credentials token cached until shortly before it expires,
 * `PayPal-Request-Id` on every write (a stable id per payment), so repeated calls return PayPal's first answer.
 */
export class PayPalPaymentProvider implements PaymentProvider {
  readonly name = 'paypal' as const;
  private token: { value: string; expiresAt: number } | null = null;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: PayPalOptions) {
    this.fetch = options.fetch ?? fetch;
  }

  async createOrder(input: {
    paymentId: string;
    amount: bigint;
    returnUrl: string;
    cancelUrl: string;
  }): Promise<ProviderOrder> {
    const order = await this.call<PayPalOrder>('POST', '/v2/checkout/orders', {
      requestId: `stratus-create-${input.paymentId}`,
      body: {
        intent: 'CAPTURE',
        purchase_units: [
          {
            reference_id: input.paymentId,
            custom_id: input.paymentId,
            description: 'Stratus account credit',
            amount: { currency_code: 'USD', value: providerAmountText(input.amount) },
          },
        ],
        payment_source: {
          paypal: {
            experience_context: {
              return_url: input.returnUrl,
              cancel_url: input.cancelUrl,
              user_action: 'PAY_NOW',
              shipping_preference: 'NO_SHIPPING',
            },
          },
        },
      },
    });
    const approve = order.links?.find((link) => link.rel === 'payer-action' || link.rel === 'approve');
    if (!approve)
      throw new PaymentProviderError('paypal', false, `PayPal order ${order.id} has no approval link`);
    return { providerOrderId: order.id, redirectUrl: approve.href };
  }

  async capture(input: { paymentId: string; providerOrderId: string }): Promise<ProviderCapture> {
    const orderPath = `/v2/checkout/orders/${encodeURIComponent(input.providerOrderId)}`;
    const current = await this.call<PayPalOrder>('GET', orderPath);
    const known = captureOf(current);
    if (known) return known;
    if (current.status === 'VOIDED') return { status: 'failed', reason: 'order voided' };
    if (current.status !== 'APPROVED') return { status: 'pending', approved: false };
    try {
      const captured = await this.call<PayPalOrder>('POST', `${orderPath}/capture`, {
        requestId: `stratus-capture-${input.paymentId}`,
        body: {},
      });
      return captureOf(captured) ?? { status: 'pending', approved: true };
    } catch (error) {
      // Captured meanwhile by another caller (another request id): read the order's capture.
      if (error instanceof PaymentProviderError && error.status === 422) {
        const again = await this.call<PayPalOrder>('GET', orderPath);
        const capture = captureOf(again);
        if (capture) return capture;
        if (/INSTRUMENT_DECLINED|TRANSACTION_REFUSED/.test(error.message))
          return { status: 'failed', reason: 'instrument declined' };
        return { status: 'pending', approved: again.status === 'APPROVED' };
      }
      throw error;
    }
  }

  async refund(input: {
    refundKey: string;
    captureId: string;
    amount: bigint;
    reason: string;
  }): Promise<ProviderRefund> {
    const refund = await this.call<{ id: string; status: string }>(
      'POST',
      `/v2/payments/captures/${encodeURIComponent(input.captureId)}/refund`,
      {
        requestId: `stratus-refund-${input.refundKey}`,
        body: {
          amount: { currency_code: 'USD', value: providerAmountText(input.amount) },
          note_to_payer: input.reason.slice(0, 255),
        },
      },
    );
    return { refundId: refund.id };
  }

  /** PayPal's verify-webhook-signature: true only for SUCCESS. The event is sent back as received. */
  async verifyWebhook(headers: PayPalWebhookHeaders, event: unknown): Promise<boolean> {
    const required = [
      'paypal-auth-algo',
      'paypal-cert-url',
      'paypal-transmission-id',
      'paypal-transmission-sig',
      'paypal-transmission-time',
    ] as const;
    if (required.some((name) => typeof headers[name] !== 'string' || headers[name] === '')) return false;
    if (!this.options.webhookId) return false;
    const answer = await this.call<{ verification_status?: string }>(
      'POST',
      '/v1/notifications/verify-webhook-signature',
      {
        body: {
          auth_algo: headers['paypal-auth-algo'],
          cert_url: headers['paypal-cert-url'],
          transmission_id: headers['paypal-transmission-id'],
          transmission_sig: headers['paypal-transmission-sig'],
          transmission_time: headers['paypal-transmission-time'],
          webhook_id: this.options.webhookId,
          webhook_event: event,
        },
      },
    );
    return answer.verification_status === 'SUCCESS';
  }

  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt > Date.now()) return this.token.value;
    const credentials = Buffer.from(`${this.options.clientId}:${this.options.clientSecret}`).toString(
      'base64',
    );
    const response = await this.send('/v1/oauth2/token', {
      method: 'POST',
      headers: {
        Authorization: `Basic ${credentials}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const body = (await response.json()) as { access_token?: string; expires_in?: number };
    if (!response.ok || typeof body.access_token !== 'string') {
      throw new PaymentProviderError(
        'paypal',
        response.status >= 500,
        'PayPal refused the credentials',
        response.status,
      );
    }
    // Renew a minute early so a token never expires between reading it and PayPal checking it.
    const lifetimeMs = Math.max(0, ((body.expires_in ?? 300) - 60) * 1000);
    this.token = { value: body.access_token, expiresAt: Date.now() + lifetimeMs };
    return body.access_token;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    options: { body?: unknown; requestId?: string } = {},
  ): Promise<T> {
    const token = await this.accessToken();
    const response = await this.send(path, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': 'application/json',
        Prefer: 'return=representation',
        ...(options.requestId ? { 'PayPal-Request-Id': options.requestId } : {}),
      },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const text = await response.text();
    if (response.status === 401) this.token = null;
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 429 || response.status === 401;
      throw new PaymentProviderError(
        'paypal',
        retryable,
        `PayPal ${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`,
        response.status,
      );
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  private async send(path: string, init: RequestInit): Promise<Response> {
    try {
      return await this.fetch(new URL(path.replace(/^\//, ''), withSlash(this.options.apiUrl)), {
        ...init,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new PaymentProviderError('paypal', true, `PayPal unreachable: ${(error as Error).message}`);
    }
  }
}

function withSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

/** The order's completed capture, or its declined one as a failure; null while there is none. */
function captureOf(order: PayPalOrder): ProviderCapture | null {
  const captures = order.purchase_units?.flatMap((unit) => unit.payments?.captures ?? []) ?? [];
  const completed = captures.find((capture) => capture.status === 'COMPLETED');
  if (completed?.amount) {
    return {
      status: 'captured',
      captureId: completed.id,
      amount: completed.amount.value,
      currency: completed.amount.currency_code,
    };
  }
  if (captures.some((capture) => capture.status === 'PENDING')) return { status: 'pending', approved: true };
  if (captures.some((capture) => capture.status === 'DECLINED' || capture.status === 'FAILED'))
    return { status: 'failed', reason: 'capture declined' };
  return null;
}
