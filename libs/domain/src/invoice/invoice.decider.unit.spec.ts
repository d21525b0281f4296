import { DeciderSpecification } from '../shared/testing/decider-spec';
import { metadataFor } from '../shared/testing/metadata';
import { invoiceDecider, type IssueInvoice } from './invoice.decider';
import type { InvoiceIssued } from './invoice.events';

const spec = DeciderSpecification.for(invoiceDecider);
const meta = metadataFor('system');
const profile = {
  legalName: 'Acme GmbH',
  address: 'Hauptstr. 1\n10115 Berlin',
  country: 'DE',
  taxId: 'DE123',
};

const issue = (overrides: Partial<IssueInvoice['data']> = {}): IssueInvoice => ({
  type: 'IssueInvoice',
  data: {
    invoiceId: 'inv-1',
    kind: 'invoice',
    series: 'INV-2026',
    sequence: 7,
    number: 'INV-2026-000007',
    organizationId: 'org-1',
    paymentId: 'pay-1',
    sourceId: 'CAP-1',
    correctsInvoiceId: null,
    issuedAt: '2026-05-03T10:00:00.000Z',
    billingProfile: profile,
    taxRateBasisPoints: 1900,
    pricesIncludeTax: true,
    lines: [{ description: 'Account credit', amount: 20_000_000n }],
    ...overrides,
  },
  metadata: meta,
});

const issued: InvoiceIssued = {
  type: 'InvoiceIssued',
  data: {
    invoiceId: 'inv-1',
    kind: 'invoice',
    series: 'INV-2026',
    sequence: 7,
    number: 'INV-2026-000007',
    organizationId: 'org-1',
    paymentId: 'pay-1',
    sourceId: 'CAP-1',
    correctsInvoiceId: null,
    issuedAt: '2026-05-03T10:00:00.000Z',
    currency: 'USD',
    billingProfile: profile,
    taxCountry: 'DE',
    taxRate: '19.00',
    pricesIncludeTax: true,
    lines: [{ description: 'Account credit', amount: '20.000000' }],
    // 20 × 19/119 = 3.193… → 3.19
    subtotal: '16.810000',
    tax: '3.190000',
    total: '20.000000',
  },
};

describe('invoice', () => {
  describe('not issued', () => {
    it('issues the document with its tax computed on the total', () => {
      spec.given([]).when(issue()).then([issued]);
    });
    it('adds the tax on top when prices exclude it', () => {
      const [event] = invoiceDecider.decide(
        issue({ pricesIncludeTax: false }),
        invoiceDecider.initialState(),
      );
      expect(event.data).toMatchObject({ subtotal: '20.000000', tax: '3.800000', total: '23.800000' });
    });
    it('issues without a profile at a zero rate', () => {
      const [event] = invoiceDecider.decide(
        issue({ billingProfile: null, taxRateBasisPoints: 0 }),
        invoiceDecider.initialState(),
      );
      expect(event.data).toMatchObject({
        taxCountry: null,
        taxRate: '0.00',
        tax: '0.000000',
        total: '20.000000',
      });
    });
    it('rejects a document without lines', () => {
      spec
        .given([])
        .when(issue({ lines: [] }))
        .thenThrows('validation', 'invalid_lines');
    });
    it('rejects a non-positive line', () => {
      spec
        .given([])
        .when(issue({ lines: [{ description: 'x', amount: 0n }] }))
        .thenThrows('validation', 'invalid_amount');
    });
  });

  describe('issued', () => {
    it('records nothing when issued again, whatever the command says', () => {
      spec
        .given([issued])
        .when(issue({ sequence: 8, number: 'INV-2026-000008' }))
        .then([]);
    });
  });
});
