import { Query } from '@nestjs/cqrs';
import type { PaymentsPage } from '../../shared/payments-read-model';

/** Newest first, from the payments read model. */
export class ListPaymentsQuery extends Query<PaymentsPage> {
  constructor(
    readonly organizationId: string,
    readonly limit: number,
    readonly cursor: { createdAt: Date; paymentId: string } | null,
  ) {
    super();
  }
}
