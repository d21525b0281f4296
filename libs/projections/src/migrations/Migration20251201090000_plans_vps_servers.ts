import { Migration } from '@mikro-orm/migrations';

/** The plan catalog, servers (list + detail), and a charge-id index for a server's charges in the ledger. */
export class Migration20251201090000_plans_vps_servers extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "plans" (
      "id" text not null primary key,
      "name" text not null,
      "provider" text not null,
      "provider_plan_id" text not null,
      "regions" jsonb not null,
      "base_monthly_price" bigint not null,
      "markup" bigint not null,
      "backup_upcharge" bigint not null,
      "active" boolean not null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null);`);
    this.addSql(`create table "vps_servers" (
      "id" text not null primary key,
      "organization_id" text not null,
      "label" text not null,
      "status" text not null,
      "plan_id" text not null,
      "provider_plan_id" text not null,
      "region" text not null,
      "image" text not null,
      "backups" boolean not null,
      "ssh_key_ids" jsonb not null,
      "hourly_price" bigint not null,
      "monthly_price" bigint not null,
      "workflow_id" text not null,
      "billing_workflow_id" text null,
      "provider_instance_id" text null,
      "ipv4" text null,
      "provisioning_stage" text null,
      "provisioning_attempt" integer not null,
      "provisioning_error" text null,
      "last_power_action" text null,
      "last_power_action_at" timestamptz null,
      "last_billed_at" timestamptz null,
      "billed_until" timestamptz null,
      "debt" bigint null,
      "created_at" timestamptz not null,
      "updated_at" timestamptz not null,
      "deleted_at" timestamptz null);`);
    this.addSql(
      `create index "vps_servers_organization_created_index" on "vps_servers" ("organization_id", "created_at" desc);`,
    );
    // A server's charges: charge_id like 'vps-<id>:%' (text_pattern_ops serves the prefix match in any collation).
    this.addSql(
      `create index "wallet_transactions_charge_id_index" on "wallet_transactions" ("charge_id" text_pattern_ops) where "charge_id" is not null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "wallet_transactions_charge_id_index";`);
    this.addSql(`drop table if exists "vps_servers";`);
    this.addSql(`drop table if exists "plans";`);
  }
}
