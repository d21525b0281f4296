import { Query } from '@nestjs/cqrs';
import type { InvoiceCursor, InvoicesPage } from '../../shared/invoices-read-model';

/** Newest first, from the invoices read model. */
export class ListInvoicesQuery extends Query<InvoicesPage> {
  constructor(
    readonly organizationId: string,
    readonly limit: number,
    readonly cursor: InvoiceCursor | null,
  ) {
    super();
  }
}
