import { Migration } from '@mikro-orm/migrations';

/** Customer payments (PayPal, Stripe): one row per payment stream. */
export class Migration20261206070000_payments extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "payments" (
      "payment_id" text not null primary key,
      "organization_id" text not null,
      "provider" text not null,
      "status" text not null,
      "amount" bigint not null,
      "captured_amount" bigint null,
      "refunded_amount" bigint not null,
      "disputed_amount" bigint not null,
      "uncovered_amount" bigint not null,
      "provider_order_id" text not null,
      "capture_id" text null,
      "redirect_url" text not null,
      "initiated_by" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(
      'create index "payments_organization_created_at_index" on "payments" ("organization_id", "created_at" desc, "payment_id" desc);',
    );
    this.addSql(
      'create index "payments_created_at_index" on "payments" ("created_at" desc, "payment_id" desc);',
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "payments";`);
  }
}
