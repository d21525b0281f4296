import { isUuid } from '../../../shared/auth/organization-access.service';
import { ApiError } from '../../../shared/errors/api-error';

/** Payment ids are uuids: anything else is a payment that does not exist. */
export function requirePaymentId(paymentId: string): string {
  if (!isUuid(paymentId)) throw new ApiError(404, 'payment_not_found', 'Payment not found');
  return paymentId.toLowerCase();
}
