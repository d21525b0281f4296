import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { InvoiceDto } from '../../shared/invoice.dto';
import { InvoicesReadModel } from '../../shared/invoices-read-model';
import { GetInvoiceQuery } from './get-invoice.query';

@QueryHandler(GetInvoiceQuery)
export class GetInvoiceHandler implements IQueryHandler<GetInvoiceQuery, InvoiceDto> {
  constructor(private readonly invoices: InvoicesReadModel) {}

  execute(query: GetInvoiceQuery): Promise<InvoiceDto> {
    return this.invoices.get(query.organizationId, query.invoiceId);
  }
}
