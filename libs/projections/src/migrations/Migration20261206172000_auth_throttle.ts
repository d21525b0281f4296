import { Migration } from '@mikro-orm/migrations';

/**
 * Attempt counters shared by every API instance (login per account and per address, registration per
 * address, mail resends): not a read model, the API's own table, written only by AuthThrottle.
 */
export class Migration20261206172000_auth_throttle extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "auth_throttle" (
      "key" text not null primary key,
      "attempts" integer not null,
      "last_attempt_at" timestamptz not null,
      "next_allowed_at" timestamptz not null);`);
    this.addSql('create index "auth_throttle_last_attempt_at_index" on "auth_throttle" ("last_attempt_at");');
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "auth_throttle";`);
  }
}
