import { BigIntType, EntitySchema, JsonType, PrimaryKeyProp } from '@mikro-orm/core';
import type { BillingDocumentKind, BillingProfile, InvoiceLine } from '@stratus/domain';

/** One issued invoice or credit note (stream `invoice-<id>`): everything its page and its PDF show. */
export interface InvoiceRow {
  [PrimaryKeyProp]?: 'invoiceId';
  invoiceId: string;
  organizationId: string;
  kind: BillingDocumentKind;
  series: string;
  sequence: number;
  number: string;
  paymentId: string;
  sourceId: string;
  correctsInvoiceId: string | null;
  issuedAt: Date;
  currency: 'USD';
  billingProfile: BillingProfile | null;
  taxCountry: string | null;
  /** Percent, "20.00". */
  taxRate: string;
  pricesIncludeTax: boolean;
  lines: InvoiceLine[];
  subtotal: bigint;
  tax: bigint;
  total: bigint;
}

export const InvoiceEntity = new EntitySchema<InvoiceRow>({
  name: 'Invoice',
  tableName: 'invoices',
  indexes: [
    {
      name: 'invoices_organization_issued_at_index',
      expression:
        'create index "invoices_organization_issued_at_index" on "invoices" ("organization_id", "issued_at" desc, "invoice_id" desc)',
    },
    {
      name: 'invoices_issued_at_index',
      expression:
        'create index "invoices_issued_at_index" on "invoices" ("issued_at" desc, "invoice_id" desc)',
    },
  ],
  properties: {
    invoiceId: { type: 'string', columnType: 'text', primary: true },
    organizationId: { type: 'string', columnType: 'text' },
    kind: { type: 'string', columnType: 'text' },
    series: { type: 'string', columnType: 'text' },
    sequence: { type: 'integer', columnType: 'integer' },
    number: { type: 'string', columnType: 'text', unique: true },
    paymentId: { type: 'string', columnType: 'text' },
    sourceId: { type: 'string', columnType: 'text' },
    correctsInvoiceId: { type: 'string', columnType: 'text', nullable: true },
    issuedAt: { type: 'Date', columnType: 'timestamptz' },
    currency: { type: 'string', columnType: 'text' },
    billingProfile: { type: JsonType, columnType: 'jsonb', nullable: true },
    taxCountry: { type: 'string', columnType: 'text', nullable: true },
    taxRate: { type: 'string', columnType: 'text' },
    pricesIncludeTax: { type: 'boolean', columnType: 'boolean' },
    lines: { type: JsonType, columnType: 'jsonb' },
    subtotal: { type: new BigIntType('bigint'), columnType: 'bigint' },
    tax: { type: new BigIntType('bigint'), columnType: 'bigint' },
    total: { type: new BigIntType('bigint'), columnType: 'bigint' },
  },
});

/** An organization's billing profile (stream `billingprofile-<organizationId>`). */
export interface BillingProfileRow extends BillingProfile {
  [PrimaryKeyProp]?: 'organizationId';
  organizationId: string;
  updatedAt: Date;
}

export const BillingProfileEntity = new EntitySchema<BillingProfileRow>({
  name: 'BillingProfile',
  tableName: 'billing_profiles',
  properties: {
    organizationId: { type: 'string', columnType: 'text', primary: true },
    legalName: { type: 'string', columnType: 'text' },
    address: { type: 'string', columnType: 'text' },
    country: { type: 'string', columnType: 'text' },
    taxId: { type: 'string', columnType: 'text', nullable: true },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});

/** A staff-set tax rate of one country (stream `taxrates-platform`). */
export interface TaxRateRow {
  [PrimaryKeyProp]?: 'country';
  country: string;
  /** Percent, "20.00". */
  rate: string;
  updatedAt: Date;
}

export const TaxRateEntity = new EntitySchema<TaxRateRow>({
  name: 'TaxRate',
  tableName: 'tax_rates',
  properties: {
    country: { type: 'string', columnType: 'text', primary: true },
    rate: { type: 'string', columnType: 'text' },
    updatedAt: { type: 'Date', columnType: 'timestamptz' },
  },
});
