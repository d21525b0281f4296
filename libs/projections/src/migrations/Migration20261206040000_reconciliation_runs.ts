import { Migration } from '@mikro-orm/migrations';

/** Reconciliations run as background jobs: their status and how far the replay got. */
export class Migration20261206040000_reconciliation_runs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "billing_reconciliations"
      add column "status" text not null default 'completed',
      add column "organizations_read" integer not null default 0,
      add column "events_read" bigint not null default 0,
      add column "failure" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "billing_reconciliations"
      drop column "status", drop column "organizations_read", drop column "events_read", drop column "failure";`);
  }
}
