import { Migration } from '@mikro-orm/migrations';

/**
 * The API's own tables shared by all its instances (not read models): request rate limits, and the WebSocket
 * tickets (console tickets until used, live tickets once redeemed) so that any instance can redeem a ticket
 * another issued, once.
 */
export class Migration20261210130000_rate_limits_websocket_tickets extends Migration {
  override async up(): Promise<void> {
    // GCRA: `tat` is when the key's allowance is whole again; a key whose tat has passed is as good as absent.
    this.addSql(`create table "rate_limits" (
      "key" text not null primary key,
      "tat" timestamptz not null,
      "allowed" boolean not null);`);
    this.addSql('create index "rate_limits_tat_index" on "rate_limits" ("tat");');
    this.addSql(`create table "websocket_tickets" (
      "id" text not null primary key,
      "kind" text not null,
      "user_id" text not null,
      "grant" jsonb null,
      "expires_at" timestamptz not null,
      "uses" integer not null default 0);`);
    this.addSql('create index "websocket_tickets_expires_at_index" on "websocket_tickets" ("expires_at");');
    this.addSql(
      'create index "websocket_tickets_pending_index" on "websocket_tickets" ("user_id", "kind") where "uses" = 0;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists "websocket_tickets";');
    this.addSql('drop table if exists "rate_limits";');
  }
}
