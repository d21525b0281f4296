import { Migration } from '@mikro-orm/migrations';

/** Whether a user verified their email address and turned on two-factor authentication. */
export class Migration20261206160000_user_account_security extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users"
      add column "email_verified" boolean not null default false,
      add column "two_factor_enabled" boolean not null default false;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "email_verified", drop column "two_factor_enabled";`);
  }
}
