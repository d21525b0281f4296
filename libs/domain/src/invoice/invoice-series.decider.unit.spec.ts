import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import {
  invoiceNumber,
  invoiceSeries,
  invoiceSeriesDecider,
  type AssignInvoiceNumber,
} from './invoice-series.decider';
import type { InvoiceNumberAssigned } from './invoice.events';

const spec = DeciderSpecification.for(invoiceSeriesDecider);
const meta = metadataFor('system');
const assign = (invoiceId: string, series = 'INV-2026'): AssignInvoiceNumber => ({
  type: 'AssignInvoiceNumber',
  data: { series, invoiceId },
  metadata: meta,
});
const assigned = (invoiceId: string, sequence: number): InvoiceNumberAssigned => ({
  type: 'InvoiceNumberAssigned',
  data: { series: 'INV-2026', sequence, number: invoiceNumber('INV-2026', sequence), invoiceId },
});

describe('invoice series', () => {
  it('names series per kind and UTC year, numbers with six digits', () => {
    expect(invoiceSeries('invoice', '2026-12-31T23:59:59.999Z')).toBe('INV-2026');
    expect(invoiceSeries('credit_note', '2027-01-01T00:00:00.000Z')).toBe('CN-2027');
    expect(invoiceNumber('INV-2026', 123)).toBe('INV-2026-000123');
  });

  describe('a new series', () => {
    it('gives the first document number 1', () => {
      spec
        .given([])
        .when(assign('a'))
        .then([assigned('a', 1)]);
    });
    it('rejects a malformed series', () => {
      spec.given([]).when(assign('a', 'FOO-26')).thenThrows('validation', 'invalid_series');
    });
  });

  describe('a series with numbers', () => {
    const history = [assigned('a', 1), assigned('b', 2)];
    it('gives the next document the next number', () => {
      spec
        .given(history)
        .when(assign('c'))
        .then([assigned('c', 3)]);
    });
    it('gives a document that already has a number nothing new', () => {
      spec.given(history).when(assign('a')).then([]);
    });
  });
});
