import { Migration } from '@mikro-orm/migrations';

/** Payments by their provider's capture (staff look-ups, the fallback of a dispute's look-up): no scan. */
export class Migration20261206170000_payments_capture_id extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create index "payments_provider_capture_id_index" on "payments" ("provider", "capture_id") where "capture_id" is not null;',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index "payments_provider_capture_id_index";');
  }
}
