import { Module } from '@nestjs/common';
import { InvoicesModule } from '../invoices/invoices.module';
import { SetTaxRatesHandler } from './commands/set-tax-rates/set-tax-rates.handler';
import { SetTaxRatesHttpController } from './commands/set-tax-rates/set-tax-rates.http.controller';
import { GetTaxRatesHandler } from './queries/get-tax-rates/get-tax-rates.handler';
import { GetTaxRatesHttpController } from './queries/get-tax-rates/get-tax-rates.http.controller';
import { ListAllInvoicesHandler } from './queries/list-all-invoices/list-all-invoices.handler';
import { ListAllInvoicesHttpController } from './queries/list-all-invoices/list-all-invoices.http.controller';

/** Staff: the tax rate of each country, and every organization's invoices. */
@Module({
  imports: [InvoicesModule],
  controllers: [GetTaxRatesHttpController, SetTaxRatesHttpController, ListAllInvoicesHttpController],
  providers: [GetTaxRatesHandler, SetTaxRatesHandler, ListAllInvoicesHandler],
})
export class AdminInvoicingModule {}
