import { organizationPaymentsDecider, type OrganizationPaymentListed } from './organization-payments.decider';

const metadata = { now: '2026-01-01T00:00:00.000Z', actor: { userId: 'system', role: 'system' as const } };
const list = (paymentId: string) =>
  ({ type: 'ListOrganizationPayment', data: { organizationId: 'org-1', paymentId }, metadata }) as const;
const listed = (paymentId: string): OrganizationPaymentListed => ({
  type: 'OrganizationPaymentListed',
  data: { organizationId: 'org-1', paymentId },
});
const stateAfter = (events: OrganizationPaymentListed[]) =>
  events.reduce(organizationPaymentsDecider.evolve, organizationPaymentsDecider.initialState());

describe("an organization's payments", () => {
  it('given none, when a payment is listed, then it is named', () => {
    expect(organizationPaymentsDecider.decide(list('p1'), stateAfter([]))).toEqual([listed('p1')]);
  });

  it('given some, when another is listed, then it is named too; the state only counts them', () => {
    expect(organizationPaymentsDecider.decide(list('p2'), stateAfter([listed('p1')]))).toEqual([
      listed('p2'),
    ]);
    expect(stateAfter([listed('p1'), listed('p2')])).toEqual({ listed: 2 });
  });

  it('given anything, when an id is empty, then a validation error', () => {
    expect(() => organizationPaymentsDecider.decide(list(''), stateAfter([]))).toThrow(/paymentId/);
  });
});
