import {
  billingProfileDecider,
  billingProfileOf,
  invoiceDecider,
  invoiceIdKeys,
  invoiceNumber,
  invoiceSeries,
  invoiceSeriesDecider,
  INVOICE_SERIES_STREAM_POLICY,
  money,
  paymentDecider,
  parseTaxRate,
  streams,
  taxRateFor,
  taxRatesDecider,
  type BillingDocumentKind,
  type BillingProfile,
  type PaymentCaptured,
  type PaymentRefunded,
} from '@stratus/domain';
import {
  deterministicEventId,
  type CommandContext,
  type CommandExecutor,
  type RecordedEvent,
} from '@stratus/eventstore';

/** The payment events that issue a document: a capture an invoice, a refund a credit note. */
export const INVOICE_SOURCE_EVENT_TYPES = ['PaymentCaptured', 'PaymentRefunded'] as const;

export interface IssuedDocument {
  invoiceId: string;
  number: string;
}

interface DocumentRequest {
  invoiceId: string;
  kind: BillingDocumentKind;
  issuedAt: string;
  organizationId: string;
  paymentId: string;
  sourceId: string;
  correctsInvoiceId: string | null;
  billingProfile: BillingProfile | null;
  taxRateBasisPoints: number;
  lines: { description: string; amount: bigint }[];
}

const PROVIDER_NAMES = { paypal: 'PayPal', stripe: 'card (Stripe)' } as const;

/**
 * Issues the invoice of a captured payment and the credit note of a refund, exactly once each: the document id
 * is derived from the capture (refund), its number is taken from the series stream under an expected revision
 * and kept by the document id, and the document stream records one InvoiceIssued. Any step may run again
 * (a crash, a second worker): it finds what the first run recorded.
 */
export class InvoiceIssuer {
  constructor(
    private readonly options: {
      executor: CommandExecutor;
      /** PRICES_INCLUDE_TAX: a payment's amount includes the tax (extracted) or not (added on top). */
      pricesIncludeTax: boolean;
    },
  ) {}

  /** Issues what `event` calls for; null for an event that issues nothing. */
  async handle(event: RecordedEvent): Promise<IssuedDocument | null> {
    const context: CommandContext = {
      actor: { userId: 'system', role: 'system' },
      correlationId: event.metadata.correlationId,
      causationId: event.id,
    };
    switch (event.type) {
      case 'PaymentCaptured':
        return this.invoiceCapture(
          (event as unknown as PaymentCaptured).data,
          event.metadata.occurredAt,
          context,
        );
      case 'PaymentRefunded':
        return this.creditRefund(
          (event as unknown as PaymentRefunded).data,
          event.metadata.occurredAt,
          context,
        );
      default:
        return null;
    }
  }

  private async invoiceCapture(
    capture: PaymentCaptured['data'],
    capturedAt: string,
    context: CommandContext,
  ): Promise<IssuedDocument> {
    const invoiceId = deterministicEventId(invoiceIdKeys.capture(capture.paymentId, capture.captureId));
    const { executor } = this.options;
    const [profileStream, ratesStream] = await Promise.all([
      executor.load(streams.billingProfile(capture.organizationId), billingProfileDecider),
      executor.load(streams.taxRates(), taxRatesDecider),
    ]);
    const billingProfile = billingProfileOf(profileStream.state);
    return this.issue(
      {
        invoiceId,
        kind: 'invoice',
        issuedAt: capturedAt,
        organizationId: capture.organizationId,
        paymentId: capture.paymentId,
        sourceId: capture.captureId,
        correctsInvoiceId: null,
        billingProfile,
        taxRateBasisPoints: taxRateFor(ratesStream.state, billingProfile?.country ?? null),
        lines: [
          {
            description: `Prepaid account credit, paid by ${PROVIDER_NAMES[capture.provider]} (capture ${capture.captureId})`,
            amount: money(capture.amount),
          },
        ],
      },
      context,
    );
  }

  /** A refund is credited with its invoice's profile and rate (the invoice it corrects is issued first). */
  private async creditRefund(
    refund: PaymentRefunded['data'],
    refundedAt: string,
    context: CommandContext,
  ): Promise<IssuedDocument | null> {
    const { executor } = this.options;
    const payment = (await executor.load(streams.payment(refund.paymentId), paymentDecider)).state;
    if (!('captureId' in payment)) return null; // a refund is recorded on a captured payment only
    const invoiceId = deterministicEventId(invoiceIdKeys.capture(refund.paymentId, payment.captureId));
    const invoice = (await executor.load(streams.invoice(invoiceId), invoiceDecider)).state;
    if (invoice.status !== 'issued') {
      throw new Error(`credit note of refund ${refund.refundId}: invoice ${invoiceId} is not issued yet`);
    }
    const document = invoice.document;
    return this.issue(
      {
        invoiceId: deterministicEventId(invoiceIdKeys.refund(refund.paymentId, refund.refundId)),
        kind: 'credit_note',
        issuedAt: refundedAt,
        organizationId: refund.organizationId,
        paymentId: refund.paymentId,
        sourceId: refund.refundId,
        correctsInvoiceId: document.invoiceId,
        billingProfile: document.billingProfile,
        taxRateBasisPoints: parseTaxRate(document.taxRate),
        lines: [
          {
            description: `Refund of ${document.number}: ${refund.reason}`.slice(0, 300),
            amount: money(refund.amount),
          },
        ],
      },
      context,
    );
  }

  private async issue(request: DocumentRequest, context: CommandContext): Promise<IssuedDocument> {
    const { executor, pricesIncludeTax } = this.options;
    const documentStream = streams.invoice(request.invoiceId);
    const existing = (await executor.load(documentStream, invoiceDecider)).state;
    if (existing.status === 'issued')
      return { invoiceId: request.invoiceId, number: existing.document.number };

    const series = invoiceSeries(request.kind, request.issuedAt);
    const numbered = await executor.execute({
      streamId: streams.invoiceSeries(series),
      decider: invoiceSeriesDecider,
      policy: INVOICE_SERIES_STREAM_POLICY,
      context,
      eventId: () => deterministicEventId(`invoice-number:${request.invoiceId}`),
      command: (_state, metadata) => ({
        type: 'AssignInvoiceNumber' as const,
        data: { series, invoiceId: request.invoiceId },
        metadata,
      }),
    });
    const sequence = numbered.state.assigned[request.invoiceId];
    if (sequence === undefined) throw new Error(`series ${series} holds no number for ${request.invoiceId}`);

    const issued = await executor.execute({
      streamId: documentStream,
      decider: invoiceDecider,
      context,
      eventId: () => deterministicEventId(`invoice-issued:${request.invoiceId}`),
      command: (_state, metadata) => ({
        type: 'IssueInvoice' as const,
        data: {
          ...request,
          series,
          sequence,
          number: invoiceNumber(series, sequence),
          pricesIncludeTax,
        },
        metadata,
      }),
    });
    if (issued.state.status !== 'issued') throw new Error(`invoice ${request.invoiceId} was not issued`);
    return { invoiceId: request.invoiceId, number: issued.state.document.number };
  }
}
