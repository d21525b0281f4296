import { Module } from '@nestjs/common';
import { UpdateBillingProfileHandler } from './commands/update-billing-profile/update-billing-profile.handler';
import { UpdateBillingProfileHttpController } from './commands/update-billing-profile/update-billing-profile.http.controller';
import { GetBillingProfileHandler } from './queries/get-billing-profile/get-billing-profile.handler';
import { GetBillingProfileHttpController } from './queries/get-billing-profile/get-billing-profile.http.controller';
import { GetInvoiceHandler } from './queries/get-invoice/get-invoice.handler';
import { GetInvoiceHttpController } from './queries/get-invoice/get-invoice.http.controller';
import { GetInvoicePdfHttpController } from './queries/get-invoice-pdf/get-invoice-pdf.http.controller';
import { GetStatementHandler } from './queries/get-statement/get-statement.handler';
import { GetStatementHttpController } from './queries/get-statement/get-statement.http.controller';
import { ListInvoicesHandler } from './queries/list-invoices/list-invoices.handler';
import { ListInvoicesHttpController } from './queries/list-invoices/list-invoices.http.controller';
import { InvoicesReadModel } from './shared/invoices-read-model';
import { StatementsReadModel } from './shared/statements-read-model';

/** Invoices and credit notes (issued by the workers' reactor), their PDFs, statements and billing profiles. */
@Module({
  controllers: [
    ListInvoicesHttpController,
    GetInvoiceHttpController,
    GetInvoicePdfHttpController,
    GetStatementHttpController,
    GetBillingProfileHttpController,
    UpdateBillingProfileHttpController,
  ],
  providers: [
    InvoicesReadModel,
    StatementsReadModel,
    ListInvoicesHandler,
    GetInvoiceHandler,
    GetStatementHandler,
    GetBillingProfileHandler,
    UpdateBillingProfileHandler,
  ],
  exports: [InvoicesReadModel],
})
export class InvoicesModule {}
