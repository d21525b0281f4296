import { Migration } from '@mikro-orm/migrations';

/** The wallet's outstanding debt (WalletDebtRecorded − its collections); 0 for every wallet until a debt is recorded. */
export class Migration20261206060000_wallet_outstanding_debt extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "wallets" add column "outstanding_debt" bigint not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "wallets" drop column if exists "outstanding_debt";`);
  }
}
