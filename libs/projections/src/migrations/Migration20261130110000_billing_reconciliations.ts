import { Migration } from '@mikro-orm/migrations';

/** Stored billing replays (admin billing): one row per run, its lines and their resolutions as jsonb. */
export class Migration20261130110000_billing_reconciliations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "billing_reconciliations" (
      "reconciliation_id" text not null primary key,
      "period_from" timestamptz not null,
      "period_to" timestamptz not null,
      "organization_id" text null,
      "period_seconds" integer not null,
      "summary" jsonb not null,
      "discrepancy_count" integer not null,
      "resolved_count" integer not null,
      "expected_total" bigint not null,
      "charged_total" bigint not null,
      "lines" jsonb not null,
      "created_by" text not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(
      'create index "billing_reconciliations_created_at_index" on "billing_reconciliations" ("created_at" desc, "reconciliation_id" desc);',
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "billing_reconciliations";`);
  }
}
