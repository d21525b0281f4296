import { Migration } from '@mikro-orm/migrations';

/** Signed-in sessions, revoked ones included (the API refuses a token whose session is revoked here). */
export class Migration20261206171000_user_sessions extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "user_sessions" (
      "id" text not null primary key,
      "user_id" text not null,
      "ip" text not null,
      "user_agent" text not null,
      "signed_in_at" timestamptz not null,
      "revoked_at" timestamptz null);`);
    this.addSql(
      'create index "user_sessions_user_signed_in_at_index" on "user_sessions" ("user_id", "signed_in_at" desc, "id" desc);',
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "user_sessions";`);
  }
}
