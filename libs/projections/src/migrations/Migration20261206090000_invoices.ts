import { Migration } from '@mikro-orm/migrations';

/** Invoices and credit notes, billing profiles and tax rates. */
export class Migration20261206090000_invoices extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "invoices" (
      "invoice_id" text not null primary key,
      "organization_id" text not null,
      "kind" text not null,
      "series" text not null,
      "sequence" integer not null,
      "number" text not null,
      "payment_id" text not null,
      "source_id" text not null,
      "corrects_invoice_id" text null,
      "issued_at" timestamptz not null,
      "currency" text not null,
      "billing_profile" jsonb null,
      "tax_country" text null,
      "tax_rate" text not null,
      "prices_include_tax" boolean not null,
      "lines" jsonb not null,
      "subtotal" bigint not null,
      "tax" bigint not null,
      "total" bigint not null,
      constraint "invoices_number_unique" unique ("number"));`);
    this.addSql(
      'create index "invoices_organization_issued_at_index" on "invoices" ("organization_id", "issued_at" desc, "invoice_id" desc);',
    );
    this.addSql(
      'create index "invoices_issued_at_index" on "invoices" ("issued_at" desc, "invoice_id" desc);',
    );
    this.addSql(`create table "billing_profiles" (
      "organization_id" text not null primary key,
      "legal_name" text not null,
      "address" text not null,
      "country" text not null,
      "tax_id" text null,
      "updated_at" timestamptz not null);`);
    this.addSql(`create table "tax_rates" (
      "country" text not null primary key,
      "rate" text not null,
      "updated_at" timestamptz not null);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "tax_rates";`);
    this.addSql(`drop table if exists "billing_profiles";`);
    this.addSql(`drop table if exists "invoices";`);
  }
}
