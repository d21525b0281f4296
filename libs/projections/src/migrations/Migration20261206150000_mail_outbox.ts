import { Migration } from '@mikro-orm/migrations';

/**
 * The mail outbox: one row per (event, template, recipient), written by the workers' mail reactor in the same
 * transaction as its checkpoint, sent by the mail sender (apps/workers/src/mail).
 */
export class Migration20261206150000_mail_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "mail_outbox" (
      "id" uuid not null primary key,
      "event_id" text not null,
      "event_type" text not null,
      "template" text not null,
      "recipient_user_id" text not null,
      "to_address" text not null,
      "data" jsonb not null,
      "status" text not null,
      "attempts" integer not null default 0,
      "next_attempt_at" timestamptz not null,
      "claim_token" uuid null,
      "claimed_at" timestamptz null,
      "sent_at" timestamptz null,
      "confirmed_at" timestamptz null,
      "last_error" text null,
      "created_at" timestamptz not null,
      constraint "mail_outbox_event_template_recipient_unique" unique ("event_id", "template", "recipient_user_id"));`);
    this.addSql(
      `create index "mail_outbox_due_index" on "mail_outbox" ("next_attempt_at") where "status" in ('pending', 'sending');`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "mail_outbox";`);
  }
}
