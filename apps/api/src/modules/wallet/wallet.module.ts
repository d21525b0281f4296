import { Module } from '@nestjs/common';
import { CreditWalletHandler } from './commands/credit-wallet/credit-wallet.handler';
import { CreditWalletHttpController } from './commands/credit-wallet/credit-wallet.http.controller';
import { GetWalletHandler } from './queries/get-wallet/get-wallet.handler';
import { GetWalletHttpController } from './queries/get-wallet/get-wallet.http.controller';
import { GetWalletSpendHandler } from './queries/get-wallet-spend/get-wallet-spend.handler';
import { GetWalletSpendHttpController } from './queries/get-wallet-spend/get-wallet-spend.http.controller';
import { ListWalletTransactionsHandler } from './queries/list-wallet-transactions/list-wallet-transactions.handler';
import { ListWalletTransactionsHttpController } from './queries/list-wallet-transactions/list-wallet-transactions.http.controller';

@Module({
  controllers: [
    GetWalletHttpController,
    GetWalletSpendHttpController,
    ListWalletTransactionsHttpController,
    CreditWalletHttpController,
  ],
  providers: [GetWalletHandler, GetWalletSpendHandler, ListWalletTransactionsHandler, CreditWalletHandler],
})
export class WalletModule {}
