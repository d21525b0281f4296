import { Migration } from '@mikro-orm/migrations';

/**
 * API keys as their owners list them (`api_keys`, a read model), when each was last used (`api_key_usage`: not a
 * read model, the API's own table, written at most once a minute per key and instance), and which sessions are
 * staff impersonations (`user_sessions.impersonator_id`).
 */
export class Migration20261210120000_api_keys extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "api_keys" (
      "id" text not null primary key,
      "user_id" text not null,
      "organization_id" text not null,
      "name" text not null,
      "prefix" text not null,
      "permissions" jsonb not null,
      "expires_at" timestamptz null,
      "allowed_ips" jsonb not null,
      "created_at" timestamptz not null,
      "revoked_at" timestamptz null);`);
    this.addSql(
      'create index "api_keys_user_created_at_index" on "api_keys" ("user_id", "created_at" desc, "id" desc);',
    );
    this.addSql(`create table "api_key_usage" (
      "key_id" text not null primary key,
      "last_used_at" timestamptz not null);`);
    this.addSql(`alter table "user_sessions" add column "impersonator_id" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "user_sessions" drop column "impersonator_id";`);
    this.addSql(`drop table if exists "api_key_usage";`);
    this.addSql(`drop table if exists "api_keys";`);
  }
}
