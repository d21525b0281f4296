/**
 * Webhook events and their delivery as PayPal makes it: a POST of the event to the configured URL with
 * PAYPAL-TRANSMISSION-ID, -TIME, -SIG, PAYPAL-CERT-URL and PAYPAL-AUTH-ALGO (SHA256withRSA over
 * `transmissionId|timeStamp|webhookId|crc32(body)`), retried after failures. Deliveries run one after the other,
 * so `duplicate`, `outOfOrder` and `drop` faults (operation `webhook`) decide what the receiver sees and in which
 * order.
 */
import { createSign, KeyObject, randomUUID } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { FaultRules } from '../simulation/fault-rules';
import { PayPalFaultMode, PayPalOperation, payPalTime, WEBHOOK_FAULT_MODES } from './paypal-state';

export const PAYPAL_AUTH_ALGO = 'SHA256withRSA';

export type WebhookEventType =
  | 'CHECKOUT.ORDER.APPROVED'
  | 'PAYMENT.CAPTURE.COMPLETED'
  | 'PAYMENT.CAPTURE.REFUNDED'
  | 'CUSTOMER.DISPUTE.CREATED';

/** A webhook event as PayPal posts it (notifications_webhooks_v1 `event`). */
export interface WebhookEvent {
  id: string;
  event_version: string;
  create_time: string;
  resource_type: string;
  resource_version: string;
  event_type: WebhookEventType;
  summary: string;
  resource: Record<string, unknown>;
  links: { href: string; rel: string; method: 'GET' | 'POST' }[];
}

export interface WebhookDelivery {
  eventId: string;
  eventType: WebhookEventType;
  transmissionId: string;
  transmissionTime: string;
  /** 1 for the first try of a transmission, then retries. */
  attempt: number;
  /** The receiver's HTTP status; null when it did not answer (or the event was dropped by a fault). */
  status: number | null;
  error?: string;
  /** The exact body posted (what PAYPAL-TRANSMISSION-SIG covers). */
  body: string;
  headers: Record<string, string>;
}

/** The text PayPal signs for a webhook transmission: `transmissionId|timeStamp|webhookId|crc32(body)`. */
export function payPalSignedText(
  transmissionId: string,
  transmissionTime: string,
  webhookId: string,
  body: string | Buffer,
): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${crc32(body)}`;
}

export interface WebhookDispatcherOptions {
  privateKey: KeyObject;
  certUrl: string;
  webhookId: string;
  /** Where events go; null: recorded, not delivered. */
  url: string | null;
  faults: FaultRules<PayPalOperation, PayPalFaultMode>;
  /** Waits before each retry of a failed delivery; the transmission is given up after the last. */
  retryDelaysMs: readonly number[];
  /** How long an `outOfOrder` event waits for a later one before it is sent anyway. */
  holdMs: number;
  now: () => number;
}

interface Transmission {
  event: WebhookEvent;
  transmissionId: string;
  attempt: number;
}

export class WebhookDispatcher {
  readonly events: WebhookEvent[] = [];
  readonly deliveries: WebhookDelivery[] = [];
  url: string | null;
  private chain: Promise<void> = Promise.resolve();
  private pending = 0;
  private idleWaiters: (() => void)[] = [];
  private held: { transmission: Transmission; timer: NodeJS.Timeout }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly abort = new AbortController();
  private closed = false;

  constructor(private readonly options: WebhookDispatcherOptions) {
    this.url = options.url;
  }

  /** Records the event and delivers it (subject to webhook faults). */
  emit(event: WebhookEvent): void {
    this.events.push(event);
    const fault = this.options.faults.take('webhook', (mode) => WEBHOOK_FAULT_MODES.includes(mode));
    const transmission = { event, transmissionId: randomUUID(), attempt: 1 };
    if (fault?.mode === 'drop') {
      this.record(transmission, '', {}, null, 'dropped (simulated fault)');
      return;
    }
    if (fault?.mode === 'outOfOrder') {
      this.pending++;
      const timer = setTimeout(() => this.release(), this.options.holdMs);
      this.held.push({ transmission, timer });
      return;
    }
    const releasing = this.held.splice(0);
    this.enqueue(transmission);
    // A duplicate is a second transmission of the same event, as PayPal's retries are.
    if (fault?.mode === 'duplicate') this.enqueue({ event, transmissionId: randomUUID(), attempt: 1 });
    for (const { transmission: late, timer } of releasing) {
      clearTimeout(timer);
      this.pending--;
      this.enqueue(late);
    }
  }

  /** Delivers the event again in a new transmission (POST /__sim/webhooks/{eventId}/resend). */
  resend(eventId: string): WebhookEvent | null {
    const event = this.events.find((candidate) => candidate.id === eventId);
    if (event) this.enqueue({ event, transmissionId: randomUUID(), attempt: 1 });
    return event ?? null;
  }

  /** The delivered body of a transmission, for verify-webhook-signature. */
  transmission(transmissionId: string): WebhookDelivery | undefined {
    return this.deliveries.find(
      (delivery) => delivery.transmissionId === transmissionId && delivery.body !== '',
    );
  }

  /** Resolves when nothing is queued, held or waiting for a retry. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolveIdle) => this.idleWaiters.push(resolveIdle));
  }

  close(): void {
    this.closed = true;
    this.abort.abort();
    for (const timer of this.timers) clearTimeout(timer);
    for (const { timer } of this.held) clearTimeout(timer);
    this.timers.clear();
    this.held = [];
    this.pending = 0;
    this.settle();
  }

  private release(): void {
    for (const { transmission, timer } of this.held.splice(0)) {
      clearTimeout(timer);
      this.pending--;
      this.enqueue(transmission);
    }
  }

  private enqueue(transmission: Transmission): void {
    if (this.closed) return;
    this.pending++;
    this.chain = this.chain
      .then(() => this.deliver(transmission))
      .finally(() => {
        this.pending = Math.max(0, this.pending - 1);
        this.settle();
      });
  }

  private settle(): void {
    if (this.pending > 0) return;
    for (const resolveIdle of this.idleWaiters.splice(0)) resolveIdle();
  }

  private sign(transmissionId: string, transmissionTime: string, body: string): string {
    const signer = createSign('sha256');
    signer.update(payPalSignedText(transmissionId, transmissionTime, this.options.webhookId, body));
    return signer.sign(this.options.privateKey, 'base64');
  }

  private async deliver(transmission: Transmission): Promise<void> {
    const url = this.url;
    if (!url || this.closed) return;
    const body = JSON.stringify(transmission.event);
    const transmissionTime = payPalTime(this.options.now());
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'PayPal/AUHD-214.0-58236697 (Stratus simulator)',
      'paypal-transmission-id': transmission.transmissionId,
      'paypal-transmission-time': transmissionTime,
      'paypal-transmission-sig': this.sign(transmission.transmissionId, transmissionTime, body),
      'paypal-cert-url': this.options.certUrl,
      'paypal-auth-algo': PAYPAL_AUTH_ALGO,
    };
    let status: number | null = null;
    let error: string | undefined;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(10_000)]),
      });
      status = response.status;
      await response.body?.cancel();
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    if (this.closed) return;
    this.record(transmission, body, headers, status, error, transmissionTime);
    const delivered = status !== null && status >= 200 && status < 300;
    const delay = this.options.retryDelaysMs[transmission.attempt - 1];
    if (!delivered && delay !== undefined) {
      this.pending++;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.pending--;
        this.enqueue({ ...transmission, attempt: transmission.attempt + 1 });
      }, delay);
      this.timers.add(timer);
    }
  }

  private record(
    transmission: Transmission,
    body: string,
    headers: Record<string, string>,
    status: number | null,
    error?: string,
    transmissionTime = payPalTime(this.options.now()),
  ): void {
    this.deliveries.push({
      eventId: transmission.event.id,
      eventType: transmission.event.event_type,
      transmissionId: transmission.transmissionId,
      transmissionTime,
      attempt: transmission.attempt,
      status,
      ...(error === undefined ? {} : { error }),
      body,
      headers,
    });
  }
}

/** A new event around a resource, as PayPal wraps it. */
export function webhookEvent(
  base: string,
  eventType: WebhookEventType,
  resourceType: string,
  summary: string,
  resource: Record<string, unknown>,
  now: number,
): WebhookEvent {
  const id = `WH-${randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase()}`;
  return {
    id,
    event_version: '1.0',
    create_time: payPalTime(now),
    resource_type: resourceType,
    resource_version: '2.0',
    event_type: eventType,
    summary,
    resource,
    links: [
      { href: `${base}/v1/notifications/webhooks-events/${id}`, rel: 'self', method: 'GET' },
      { href: `${base}/v1/notifications/webhooks-events/${id}/resend`, rel: 'resend', method: 'POST' },
    ],
  };
}
