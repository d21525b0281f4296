import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvoicesReadModel, type InvoicesPage } from '../../shared/invoices-read-model';
import { ListInvoicesQuery } from './list-invoices.query';

@QueryHandler(ListInvoicesQuery)
export class ListInvoicesHandler implements IQueryHandler<ListInvoicesQuery, InvoicesPage> {
  constructor(private readonly invoices: InvoicesReadModel) {}

  execute(query: ListInvoicesQuery): Promise<InvoicesPage> {
    return this.invoices.page({ organizationId: query.organizationId }, query.limit, query.cursor);
  }
}
