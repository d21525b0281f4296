import { Query } from '@nestjs/cqrs';
import type { InvoiceCursor, InvoicesPage } from '../../../invoices/shared/invoices-read-model';

/** Every organization's documents (or one's), newest first. */
export class ListAllInvoicesQuery extends Query<InvoicesPage> {
  constructor(
    readonly organizationId: string | null,
    readonly limit: number,
    readonly cursor: InvoiceCursor | null,
  ) {
    super();
  }
}
