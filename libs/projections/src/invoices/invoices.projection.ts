import {
  assertNever,
  money,
  type BillingProfileUpdated,
  type InvoiceEvent,
  type TaxRatesEvent,
} from '@stratus/domain';
import type { Projection } from '../projection';
import { asRecorded, occurredAt } from '../shared/events';
import {
  BillingProfileEntity,
  InvoiceEntity,
  TaxRateEntity,
  type BillingProfileRow,
  type InvoiceRow,
  type TaxRateRow,
} from './invoice.entity';

/** Issued invoices and credit notes: the organization's list, the document pages and PDFs, the staff list. */
export const invoicesProjection: Projection<InvoiceRow> = {
  name: 'invoices',
  entity: InvoiceEntity,
  handles: ['InvoiceIssued'] satisfies InvoiceEvent['type'][],
  keyOf: (event) => (event.data as { invoiceId?: string }).invoiceId ?? null,
  evolve(row, recorded) {
    const event = asRecorded<InvoiceEvent>(recorded);
    switch (event.type) {
      case 'InvoiceIssued': {
        // A document is issued once; a repeat (impossible by its decider) keeps the first.
        if (row) return row;
        const { data } = event;
        return {
          invoiceId: data.invoiceId,
          organizationId: data.organizationId,
          kind: data.kind,
          series: data.series,
          sequence: data.sequence,
          number: data.number,
          paymentId: data.paymentId,
          sourceId: data.sourceId,
          correctsInvoiceId: data.correctsInvoiceId,
          issuedAt: new Date(data.issuedAt),
          currency: data.currency,
          billingProfile: data.billingProfile,
          taxCountry: data.taxCountry,
          taxRate: data.taxRate,
          pricesIncludeTax: data.pricesIncludeTax,
          lines: data.lines,
          subtotal: money(data.subtotal),
          tax: money(data.tax),
          total: money(data.total),
        };
      }
      default:
        return assertNever(event.type);
    }
  },
};

export const billingProfilesProjection: Projection<BillingProfileRow> = {
  name: 'billing-profiles',
  entity: BillingProfileEntity,
  handles: ['BillingProfileUpdated'] satisfies BillingProfileUpdated['type'][],
  keyOf: (event) => (event.data as { organizationId?: string }).organizationId ?? null,
  evolve(_row, recorded) {
    const event = asRecorded<BillingProfileUpdated>(recorded);
    const { organizationId, legalName, address, country, taxId } = event.data;
    return { organizationId, legalName, address, country, taxId, updatedAt: occurredAt(event) };
  },
};

export const taxRatesProjection: Projection<TaxRateRow> = {
  name: 'tax-rates',
  entity: TaxRateEntity,
  handles: ['TaxRateSet', 'TaxRateRemoved'] satisfies TaxRatesEvent['type'][],
  keyOf: (event) => (event.data as { country?: string }).country ?? null,
  evolve(_row, recorded) {
    const event = asRecorded<TaxRatesEvent>(recorded);
    switch (event.type) {
      case 'TaxRateSet':
        return { country: event.data.country, rate: event.data.rate, updatedAt: occurredAt(event) };
      case 'TaxRateRemoved':
        return null;
      default:
        return assertNever(event);
    }
  },
};
