import { Migration } from '@mikro-orm/migrations';

/**
 * The ledger's time filters (`since`) and the spend sums read an organization's rows by when they happened: an index
 * on (organization_id, occurred_at) keeps them to the rows asked for instead of the organization's whole ledger.
 */
export class Migration20261206050000_wallet_transactions_occurred_at extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      'create index "wallet_transactions_organization_occurred_at_index" on "wallet_transactions" ("organization_id", "occurred_at");',
    );
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "wallet_transactions_organization_occurred_at_index";');
  }
}
