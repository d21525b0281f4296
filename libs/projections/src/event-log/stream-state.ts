import {
  apiKeyDecider,
  firewallPolicyDecider,
  billingProfileDecider,
  consoleDecider,
  emailClaimDecider,
  formatMoney,
  invoiceDecider,
  invoiceSeriesDecider,
  organizationDecider,
  paymentCaptureIndexDecider,
  organizationPaymentsDecider,
  paymentDecider,
  paymentWebhookDecider,
  planDecider,
  projectionRebuildDecider,
  reconciliationDecider,
  sshKeysDecider,
  taxRatesDecider,
  transferMeterDecider,
  transferMonthDecider,
  transferPriceDecider,
  userDecider,
  vpsDecider,
  walletDecider,
  type DomainEvent,
} from '@stratus/domain';
import { redact } from './event-log.redaction';

/** The parts of a decider that rebuild state: `evolve` from `initialState`. */
interface StateFolder {
  initialState(): unknown;
  evolve(state: unknown, event: DomainEvent): unknown;
}

interface StreamKind {
  decider: StateFolder;
  /** Keys whose bigint values are micro-dollars (shown as money strings); other bigints become decimal strings. */
  moneyKeys: ReadonlySet<string>;
}

const kind = (decider: unknown, moneyKeys: string[] = []): StreamKind => ({
  decider: decider as StateFolder,
  moneyKeys: new Set(moneyKeys),
});

/** Stream category → the domain's own decider (see libs/domain/src/shared/streams.ts). */
export const STREAM_KINDS: Readonly<Record<string, StreamKind>> = {
  user: kind(userDecider),
  useremail: kind(emailClaimDecider),
  organization: kind(organizationDecider),
  apikey: kind(apiKeyDecider),
  wallet: kind(walletDecider, ['balance']),
  plan: kind(planDecider, ['baseMonthlyPrice', 'markup', 'backupUpcharge']),
  vps: kind(vpsDecider, ['hourlyPrice', 'monthlyPrice', 'debt']),
  console: kind(consoleDecider),
  payment: kind(paymentDecider, ['amount', 'captured', 'refunded', 'disputed']),
  paymentwebhook: kind(paymentWebhookDecider),
  paymentcapture: kind(paymentCaptureIndexDecider),
  organizationpayments: kind(organizationPaymentsDecider),
  // Money in these states is already MoneyString.
  invoice: kind(invoiceDecider),
  invoiceseries: kind(invoiceSeriesDecider),
  billingprofile: kind(billingProfileDecider),
  sshkeys: kind(sshKeysDecider),
  taxrates: kind(taxRatesDecider),
  reconciliation: kind(reconciliationDecider),
  projection: kind(projectionRebuildDecider),
  firewallpolicy: kind(firewallPolicyDecider),
  transfer: kind(transferMeterDecider),
  transfermonth: kind(transferMonthDecider),
  transferprice: kind(transferPriceDecider, ['pricePerGb']),
};

/** An event as the fold needs it. */
export interface FoldableEvent {
  revision: bigint | number;
  type: string;
  data: unknown;
  occurredAt: Date;
}

/** Where to stop: the state right after `revision`, or as it was at `time` (both inclusive). */
export interface StateAt {
  revision?: bigint;
  time?: Date;
}

/**
 * Folds a stream's events in revision order with the domain's `evolve`, stopping at `at`. A time stops at
 * the first event recorded after it, so the result is always a state the aggregate really had.
 */
export class StreamStateFolder {
  private readonly kind: StreamKind | undefined;
  private current: unknown;
  /** Revision of the last event folded, null before the first. */
  revision: bigint | null = null;
  /** Set once an event past `at` was seen: nothing more is folded. */
  done = false;
  /** The domain's evolve rejected an event (a shape it no longer knows): the state stops before it. */
  error: string | null = null;

  constructor(
    readonly category: string,
    private readonly at: StateAt = {},
  ) {
    this.kind = STREAM_KINDS[category];
    this.current = this.kind ? this.kind.decider.initialState() : null;
  }

  /** Whether `event` is part of the requested state (false once past `at`). */
  includes(event: FoldableEvent): boolean {
    if (this.at.revision !== undefined && BigInt(event.revision) > this.at.revision) return false;
    if (this.at.time !== undefined && event.occurredAt.getTime() > this.at.time.getTime()) return false;
    return true;
  }

  /** Folds one event; returns false (and folds nothing more) once past `at`. */
  apply(event: FoldableEvent): boolean {
    if (this.done) return false;
    if (!this.includes(event)) {
      this.done = true;
      return false;
    }
    if (this.kind && this.error === null) {
      try {
        this.current = this.kind.decider.evolve(this.current, {
          type: event.type,
          data: event.data as object,
        });
      } catch (error) {
        this.error = `evolve failed at revision ${String(event.revision)}: ${error instanceof Error ? error.message : String(error)}`;
      }
    }
    if (this.error === null) this.revision = BigInt(event.revision);
    return true;
  }

  /** JSON-safe and redacted; null for a category without a decider. */
  state(): unknown {
    if (!this.kind) return null;
    return redact(toJsonSafe(this.current, this.kind.moneyKeys));
  }
}

/**
 * bigint → money string for money keys, else decimal string; Map → object; Set → array; Date → ISO.
 * Everything else as JSON would show it.
 */
export function toJsonSafe(value: unknown, moneyKeys: ReadonlySet<string> = new Set(), key = ''): unknown {
  if (typeof value === 'bigint') return moneyKeys.has(key) ? formatMoney(value) : value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJsonSafe(v, moneyKeys));
  if (value instanceof Set) return [...value].map((v) => toJsonSafe(v, moneyKeys));
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[String(k)] = toJsonSafe(v, moneyKeys, String(k));
  return out;
}
