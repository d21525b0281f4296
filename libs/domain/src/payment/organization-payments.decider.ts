import type { Command, Decider, DomainEvent } from '../shared/decider';
import { requireId } from '../shared/validation';

/**
 * Stream `organizationpayments-<organization id>`: every payment of an organization, listed before its
 * PaymentInitiated. The reconciliation reads it to find the organization's payments from the event store itself: a
 * capture never credited names itself nowhere in the wallet, and the payments read model may lag behind.
 */
export type OrganizationPaymentListed = DomainEvent<
  'OrganizationPaymentListed',
  { organizationId: string; paymentId: string }
>;
export type ListOrganizationPayment = Command<'ListOrganizationPayment', OrganizationPaymentListed['data']>;
/** Only how many are listed: the stream grows with the organization's payments, its state does not. */
export type OrganizationPaymentsState = { listed: number };

/** Each payment once: its event id derives from the payment id (organizationPaymentListedKey), so a repeat records nothing. */
export const organizationPaymentsDecider: Decider<
  OrganizationPaymentsState,
  ListOrganizationPayment,
  OrganizationPaymentListed
> = {
  initialState: () => ({ listed: 0 }),
  evolve: (state) => ({ listed: state.listed + 1 }),
  decide(command) {
    const organizationId = requireId(command.data.organizationId, 'organizationId');
    const paymentId = requireId(command.data.paymentId, 'paymentId');
    return [{ type: 'OrganizationPaymentListed', data: { organizationId, paymentId } }];
  },
};

/** Key of a payment's OrganizationPaymentListed event id. */
export const organizationPaymentListedKey = (paymentId: string) => `organization-payment:${paymentId}`;
