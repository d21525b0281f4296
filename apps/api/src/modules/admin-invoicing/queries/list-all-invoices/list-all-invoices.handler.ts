import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvoicesReadModel, type InvoicesPage } from '../../../invoices/shared/invoices-read-model';
import { ListAllInvoicesQuery } from './list-all-invoices.query';

@QueryHandler(ListAllInvoicesQuery)
export class ListAllInvoicesHandler implements IQueryHandler<ListAllInvoicesQuery, InvoicesPage> {
  constructor(private readonly invoices: InvoicesReadModel) {}

  execute(query: ListAllInvoicesQuery): Promise<InvoicesPage> {
    return this.invoices.page(
      query.organizationId ? { organizationId: query.organizationId } : {},
      query.limit,
      query.cursor,
    );
  }
}
