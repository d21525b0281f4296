import { Migration } from '@mikro-orm/migrations';

/** The optional mails each user turned off (MailPreferencesChanged), read by the mail reactor. */
export class Migration20261206180000_user_mail_preferences extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "users" add column "mail_opt_outs" jsonb not null default '[]';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "users" drop column "mail_opt_outs";`);
  }
}
