import type { FilterQuery } from '@mikro-orm/core';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { PaymentRow } from '@stratus/projections';
import { PaymentsReadModel, type PaymentsPage } from '../../shared/payments-read-model';
import { ListAllPaymentsQuery } from './list-all-payments.query';

@QueryHandler(ListAllPaymentsQuery)
export class ListAllPaymentsHandler implements IQueryHandler<ListAllPaymentsQuery, PaymentsPage> {
  constructor(private readonly payments: PaymentsReadModel) {}

  execute(query: ListAllPaymentsQuery): Promise<PaymentsPage> {
    const where: FilterQuery<PaymentRow> = {};
    if (query.filter.paymentId) where.paymentId = query.filter.paymentId;
    if (query.filter.organizationId) where.organizationId = query.filter.organizationId;
    if (query.filter.status) where.status = query.filter.status;
    if (query.filter.provider) where.provider = query.filter.provider;
    return this.payments.page(where, query.limit, query.cursor);
  }
}
