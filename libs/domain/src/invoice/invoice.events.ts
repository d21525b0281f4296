import type { MoneyString } from '../money/money';
import type { DomainEvent } from '../shared/decider';

/** An invoice (receipt of a captured payment) or a credit note (a refund of one). */
export type BillingDocumentKind = 'invoice' | 'credit_note';
export const BILLING_DOCUMENT_KINDS: readonly BillingDocumentKind[] = ['invoice', 'credit_note'];

/** The organization's billing details as a document records them (a snapshot: later edits do not change it). */
export interface BillingProfile {
  legalName: string;
  /** Postal address, lines separated by "\n". */
  address: string;
  /** ISO 3166-1 alpha-2: selects the tax rate. */
  country: string;
  /** VAT / tax id, when the organization has one. */
  taxId: string | null;
}

/**
 * Stream `invoiceseries-<series>` (`INV-2026`): the series' numbers, handed out in order. Appended with the
 * expected revision, so two concurrent documents can never take one number, and a document keeps the number it
 * got first (a second assignment for it records nothing): numbers are gapless and unique.
 */
export type InvoiceNumberAssigned = DomainEvent<
  'InvoiceNumberAssigned',
  { series: string; sequence: number; number: string; invoiceId: string }
>;

export interface InvoiceLine {
  description: string;
  /** As priced: tax included when the document's `pricesIncludeTax`, else before tax. */
  amount: MoneyString;
}

/** Stream `invoice-<invoiceId>`: the document, issued once with everything it shows. */
export type InvoiceIssued = DomainEvent<
  'InvoiceIssued',
  {
    invoiceId: string;
    kind: BillingDocumentKind;
    series: string;
    sequence: number;
    /** `INV-2026-000123`. */
    number: string;
    organizationId: string;
    paymentId: string;
    /** The capture (invoice) or refund (credit note) it documents. */
    sourceId: string;
    /** The invoice a credit note corrects. */
    correctsInvoiceId: string | null;
    /** When the money moved (the capture's or refund's time). */
    issuedAt: string;
    currency: 'USD';
    billingProfile: BillingProfile | null;
    /** Country whose rate applied (the profile's), null without a profile. */
    taxCountry: string | null;
    /** Percent, "20.00". */
    taxRate: string;
    pricesIncludeTax: boolean;
    lines: InvoiceLine[];
    subtotal: MoneyString;
    tax: MoneyString;
    total: MoneyString;
  }
>;

export type InvoiceEvent = InvoiceIssued;

/** Stream `billingprofile-<organizationId>`. */
export type BillingProfileUpdated = DomainEvent<
  'BillingProfileUpdated',
  { organizationId: string } & BillingProfile
>;

/** Stream `taxrates-platform`: the rates staff set, per country (percent "20.00"). */
export type TaxRateSet = DomainEvent<'TaxRateSet', { country: string; rate: string }>;
export type TaxRateRemoved = DomainEvent<'TaxRateRemoved', { country: string }>;
export type TaxRatesEvent = TaxRateSet | TaxRateRemoved;
