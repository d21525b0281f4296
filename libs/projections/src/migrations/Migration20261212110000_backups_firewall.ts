import { Migration } from '@mikro-orm/migrations';

/** A server's own inbound firewall rules (null: the platform's default policy applies); that default policy. */
export class Migration20261212110000_backups_firewall extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "vps_servers" add column "firewall" jsonb null;`);
    this.addSql(`create table "firewall_policy" (
      "id" text not null primary key,
      "rules" jsonb not null,
      "updated_by" text not null,
      "updated_at" timestamptz not null);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "firewall_policy";`);
    this.addSql(`alter table "vps_servers" drop column "firewall";`);
  }
}
