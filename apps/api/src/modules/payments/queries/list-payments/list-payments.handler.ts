import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PaymentsReadModel, type PaymentsPage } from '../../shared/payments-read-model';
import { ListPaymentsQuery } from './list-payments.query';

@QueryHandler(ListPaymentsQuery)
export class ListPaymentsHandler implements IQueryHandler<ListPaymentsQuery, PaymentsPage> {
  constructor(private readonly payments: PaymentsReadModel) {}

  execute(query: ListPaymentsQuery): Promise<PaymentsPage> {
    return this.payments.page({ organizationId: query.organizationId }, query.limit, query.cursor);
  }
}
