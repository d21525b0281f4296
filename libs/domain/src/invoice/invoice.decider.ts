import { formatMoney, sumMoney } from '../money/money';
import { assertNever, DomainError, type Command, type Decider } from '../shared/decider';
import { requireId, requireText } from '../shared/validation';
import {
  BILLING_DOCUMENT_KINDS,
  type BillingDocumentKind,
  type BillingProfile,
  type InvoiceEvent,
  type InvoiceIssued,
} from './invoice.events';
import { formatTaxRate, taxBreakdown } from './tax';

export const MAX_INVOICE_LINES = 50;

/**
 * Issue the document with its number (from its series stream), the profile and tax rate read at issue time,
 * and its lines (amounts in micros, as priced). Issuing an issued document records nothing.
 */
export type IssueInvoice = Command<
  'IssueInvoice',
  {
    invoiceId: string;
    kind: BillingDocumentKind;
    series: string;
    sequence: number;
    number: string;
    organizationId: string;
    paymentId: string;
    sourceId: string;
    correctsInvoiceId: string | null;
    issuedAt: string;
    billingProfile: BillingProfile | null;
    /** Basis points of a percent (2000 = 20%), the rate of the profile's country (0 without one). */
    taxRateBasisPoints: number;
    pricesIncludeTax: boolean;
    lines: { description: string; amount: bigint }[];
  }
>;

export type InvoiceState =
  | { status: 'none' }
  /** The document as issued (a credit note repeats its invoice's profile and rate). */
  | { status: 'issued'; document: InvoiceIssued['data'] };

export const invoiceDecider: Decider<InvoiceState, IssueInvoice, InvoiceEvent> = {
  initialState: () => ({ status: 'none' }),
  evolve(_state, event) {
    switch (event.type) {
      case 'InvoiceIssued':
        return { status: 'issued', document: event.data };
      default:
        return assertNever(event.type);
    }
  },
  decide(command, state) {
    switch (state.status) {
      case 'issued':
        return [];
      case 'none':
        return issue(command);
      default:
        return assertNever(state);
    }
  },
};

function issue(command: IssueInvoice): InvoiceEvent[] {
  const data = command.data;
  if (!BILLING_DOCUMENT_KINDS.includes(data.kind)) {
    throw new DomainError(
      'validation',
      'invalid_kind',
      `kind must be one of ${BILLING_DOCUMENT_KINDS.join(', ')}`,
    );
  }
  if (!Number.isInteger(data.sequence) || data.sequence < 1) {
    throw new DomainError('validation', 'invalid_sequence', 'sequence must be a positive integer');
  }
  if (data.lines.length === 0 || data.lines.length > MAX_INVOICE_LINES) {
    throw new DomainError('validation', 'invalid_lines', `a document has 1 to ${MAX_INVOICE_LINES} lines`);
  }
  const lines = data.lines.map((line, index) => {
    if (typeof line.amount !== 'bigint' || line.amount <= 0n) {
      throw new DomainError('validation', 'invalid_amount', 'line amounts must be positive', {
        field: `lines[${index}].amount`,
      });
    }
    return {
      description: requireText(line.description, `lines[${index}].description`, 'invalid_description', 300),
      amount: formatMoney(line.amount),
    };
  });
  const totals = taxBreakdown(
    sumMoney(data.lines.map((line) => line.amount)),
    data.taxRateBasisPoints,
    data.pricesIncludeTax,
  );
  return [
    {
      type: 'InvoiceIssued',
      data: {
        invoiceId: requireId(data.invoiceId, 'invoiceId'),
        kind: data.kind,
        series: requireId(data.series, 'series'),
        sequence: data.sequence,
        number: requireId(data.number, 'number'),
        organizationId: requireId(data.organizationId, 'organizationId'),
        paymentId: requireId(data.paymentId, 'paymentId'),
        sourceId: requireId(data.sourceId, 'sourceId'),
        correctsInvoiceId: data.correctsInvoiceId,
        issuedAt: data.issuedAt,
        currency: 'USD',
        billingProfile: data.billingProfile,
        taxCountry: data.billingProfile?.country ?? null,
        taxRate: formatTaxRate(data.taxRateBasisPoints),
        pricesIncludeTax: data.pricesIncludeTax,
        lines,
        subtotal: formatMoney(totals.net),
        tax: formatMoney(totals.tax),
        total: formatMoney(totals.gross),
      },
    },
  ];
}
