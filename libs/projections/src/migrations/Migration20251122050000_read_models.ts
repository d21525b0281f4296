import { Migration } from '@mikro-orm/migrations';

/** The first read models: users, organizations, memberships, wallets, wallet transactions, checkpoints. */
export class Migration20251122050000_read_models extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "users" (
      "id" text not null primary key,
      "email" text not null,
      "name" text not null,
      "platform_role" text not null,
      "active_organization_id" text null,
      "created_at" timestamptz not null,
      constraint "users_email_unique" unique ("email"));`);
    this.addSql(`create table "organizations" (
      "id" text not null primary key,
      "name" text not null,
      "created_by" text not null,
      "created_at" timestamptz not null,
      "member_count" integer not null);`);
    this.addSql(`create table "memberships" (
      "organization_id" text not null,
      "user_id" text not null,
      "role" text not null,
      "joined_at" timestamptz not null,
      constraint "memberships_pkey" primary key ("organization_id", "user_id"));`);
    this.addSql(`create index "memberships_user_id_index" on "memberships" ("user_id");`);
    this.addSql(`create table "wallets" (
      "organization_id" text not null primary key,
      "currency" text not null,
      "balance" bigint not null,
      "updated_at" timestamptz not null,
      "transaction_count" integer not null);`);
    this.addSql(`create table "wallet_transactions" (
      "id" uuid not null primary key,
      "organization_id" text not null,
      "type" text not null,
      "amount" bigint not null,
      "attempted_amount" bigint null,
      "balance_after" bigint not null,
      "description" text not null,
      "reference" text null,
      "charge_id" text null,
      "actor_user_id" text not null,
      "occurred_at" timestamptz not null,
      "position_commit" bigint not null,
      "position_prepare" bigint not null);`);
    this.addSql(
      `create index "wallet_transactions_organization_position_index" on "wallet_transactions" ("organization_id", "position_commit" desc, "position_prepare" desc);`,
    );
    this.addSql(`create table "projection_checkpoints" (
      "name" text not null primary key,
      "position_commit" bigint null,
      "position_prepare" bigint null,
      "events_processed" bigint not null default 0,
      "status" text not null,
      "last_error" text null,
      "last_event_at" timestamptz null,
      "updated_at" timestamptz not null);`);
  }

  override async down(): Promise<void> {
    for (const table of [
      'projection_checkpoints',
      'wallet_transactions',
      'wallets',
      'memberships',
      'organizations',
      'users',
    ]) {
      this.addSql(`drop table if exists "${table}";`);
    }
  }
}
