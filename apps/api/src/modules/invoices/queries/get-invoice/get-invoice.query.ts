import { Query } from '@nestjs/cqrs';
import type { InvoiceDto } from '../../shared/invoice.dto';

export class GetInvoiceQuery extends Query<InvoiceDto> {
  constructor(
    readonly organizationId: string,
    readonly invoiceId: string,
  ) {
    super();
  }
}
