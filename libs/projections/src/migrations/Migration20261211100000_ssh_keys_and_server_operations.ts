import { Migration } from '@mikro-orm/migrations';

/** Organizations' SSH keys; a server's operation in progress, its last finished one and its reverse DNS. */
export class Migration20261211100000_ssh_keys_and_server_operations extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "ssh_keys" (
      "key_id" text not null primary key,
      "organization_id" text not null,
      "name" text not null,
      "algorithm" text not null,
      "bits" integer not null,
      "fingerprint" text not null,
      "public_key" text not null,
      "added_by" text null,
      "created_at" timestamptz not null);`);
    this.addSql(
      'create index "ssh_keys_organization_created_index" on "ssh_keys" ("organization_id", "created_at", "key_id");',
    );
    this.addSql(`alter table "vps_servers" add column "reverse_dns" text null;`);
    this.addSql(`alter table "vps_servers" add column "operation" jsonb null;`);
    this.addSql(`alter table "vps_servers" add column "last_operation" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "vps_servers" drop column "last_operation";`);
    this.addSql(`alter table "vps_servers" drop column "operation";`);
    this.addSql(`alter table "vps_servers" drop column "reverse_dns";`);
    this.addSql(`drop table if exists "ssh_keys";`);
  }
}
