import { Migration } from '@mikro-orm/migrations';
import { EVENT_LOG_INDEXES } from '../event-log/event-log.entity';

/**
 * The audit log: every event, one row, with the columns staff filter on. Indexes serve the admin
 * queries' keyset pages (each filter + global position) without sorting, on millions of rows.
 */
export class Migration20261130100000_event_log extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "event_log" (
      "event_id" uuid not null primary key,
      "position_commit" bigint not null,
      "position_prepare" bigint not null,
      "stream_id" text not null,
      "stream_category" text not null,
      "revision" bigint not null,
      "type" text not null,
      "organization_id" text null,
      "actor_user_id" text null,
      "actor_role" text null,
      "impersonator_id" text null,
      "ip" text null,
      "user_agent" text null,
      "correlation_id" text null,
      "causation_id" text null,
      "occurred_at" timestamptz not null,
      "data" jsonb null,
      "metadata" jsonb null);`);
    for (const index of EVENT_LOG_INDEXES) this.addSql(`${index.expression};`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "event_log";`);
  }
}
