import { DomainError, type Command, type Decider } from '../shared/decider';
import type { RetryPolicy, StreamPolicy } from '../shared/stream-policy';
import { requireId } from '../shared/validation';
import type { BillingDocumentKind, InvoiceNumberAssigned } from './invoice.events';

const SERIES_PREFIX: Readonly<Record<BillingDocumentKind, string>> = { invoice: 'INV', credit_note: 'CN' };
const SERIES_PATTERN = /^(INV|CN)-[0-9]{4}$/;

/** The series of a document issued at `issuedAt` (ISO instant): one per kind and UTC year, `INV-2026`. */
export function invoiceSeries(kind: BillingDocumentKind, issuedAt: string): string {
  const year = new Date(issuedAt).getUTCFullYear();
  if (!Number.isInteger(year)) throw new Error(`invoiceSeries: not an instant: ${issuedAt}`);
  return `${SERIES_PREFIX[kind]}-${String(year).padStart(4, '0')}`;
}

/** `INV-2026` and 123 → `INV-2026-000123`. */
export function invoiceNumber(series: string, sequence: number): string {
  return `${series}-${String(sequence).padStart(6, '0')}`;
}

/** Keys of the deterministic document ids (uuid v5 under STRATUS_ID_NAMESPACE): one document per capture / refund. */
export const invoiceIdKeys = {
  capture: (paymentId: string, captureId: string) => `invoice:${paymentId}:${captureId}`,
  refund: (paymentId: string, refundId: string) => `credit-note:${paymentId}:${refundId}`,
} as const;

/** Take the next number of `series` for document `invoiceId` (or find the one it already has). */
export type AssignInvoiceNumber = Command<'AssignInvoiceNumber', { series: string; invoiceId: string }>;

export interface InvoiceSeriesState {
  /** Numbers handed out so far (the next is `issued + 1`). */
  issued: number;
  /** Document id → its sequence number. */
  assigned: Readonly<Record<string, number>>;
}

export const invoiceSeriesDecider: Decider<InvoiceSeriesState, AssignInvoiceNumber, InvoiceNumberAssigned> = {
  initialState: () => ({ issued: 0, assigned: {} }),
  evolve: (state, event) => ({
    issued: event.data.sequence,
    assigned: { ...state.assigned, [event.data.invoiceId]: event.data.sequence },
  }),
  decide(command, state) {
    const series = command.data.series;
    if (typeof series !== 'string' || !SERIES_PATTERN.test(series)) {
      throw new DomainError('validation', 'invalid_series', 'series must look like INV-2026 or CN-2026', {
        field: 'series',
      });
    }
    const invoiceId = requireId(command.data.invoiceId, 'invoiceId');
    if (state.assigned[invoiceId] !== undefined) return [];
    const sequence = state.issued + 1;
    return [
      {
        type: 'InvoiceNumberAssigned',
        data: { series, sequence, number: invoiceNumber(series, sequence), invoiceId },
      },
    ];
  },
};

/**
 * Every capture of a year races for one stream: retry more (and sooner) than the default, so a burst of
 * concurrent captures queues on the stream instead of failing.
 */
export const INVOICE_SERIES_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 60,
  baseDelayMs: 5,
  maxDelayMs: 100,
});
export const INVOICE_SERIES_STREAM_POLICY: StreamPolicy<InvoiceSeriesState> = Object.freeze({
  retry: INVOICE_SERIES_RETRY_POLICY,
});
