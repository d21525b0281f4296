import { Query } from '@nestjs/cqrs';
import type { PaymentRowStatus } from '@stratus/projections';
import type { PaymentsPage } from '../../shared/payments-read-model';

export interface AllPaymentsFilter {
  paymentId: string | null;
  organizationId: string | null;
  status: PaymentRowStatus | null;
  provider: 'paypal' | 'stripe' | null;
}

/** Staff: every organization's payments, newest first, filtered. */
export class ListAllPaymentsQuery extends Query<PaymentsPage> {
  constructor(
    readonly filter: AllPaymentsFilter,
    readonly limit: number,
    readonly cursor: { createdAt: Date; paymentId: string } | null,
  ) {
    super();
  }
}
