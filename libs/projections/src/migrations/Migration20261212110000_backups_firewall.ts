import { Migration } from '@mikro-orm/migrations';

/** A server's own inbound firewall rules (null: the platform's default policy applies). */
export class Migration20261212110000_backups_firewall extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "vps_servers" add column "firewall" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "vps_servers" drop column "firewall";`);
  }
}
