import { ApplicationFailure } from '@temporalio/common';
import { PaymentProviderError, type PaymentState } from '@stratus/domain';
import type { CommandExecutor } from '@stratus/eventstore';
import { PaymentSettlement, type ExistingPayment } from '@stratus/infra';
import { ACTIVITY_FAILURE_TYPES, type PaymentActivities, type PaymentProgress } from '@stratus/workflows';
import { activityContext, type ActivityDependencies } from './activity-support';

/** Idempotency key of a payment's expiry: a retried activity records it once. */
const paymentExpiryKey = (paymentId: string) => `payment-expire:${paymentId}`;

const progressOf = (state: PaymentState, before: ExistingPayment): PaymentProgress => ({
  status: state.status === 'none' ? before.status : state.status,
});

/**
 * The payment workflow's activities: the API's own settlement (@stratus/infra), so a poll, the customer's return
 * and the webhooks all record a capture and its credit under the same ids.
 */
export function createPaymentActivities(
  deps: ActivityDependencies,
  executor: CommandExecutor,
): PaymentActivities {
  const { log } = deps;
  const settlement = deps.paymentProviders
    ? new PaymentSettlement({
        executor,
        providers: deps.paymentProviders,
        walletToppedUp: deps.signalTopUp ?? undefined,
        log,
      })
    : null;

  const existing = async (paymentId: string): Promise<[PaymentSettlement, ExistingPayment]> => {
    if (settlement === null) {
      // A worker started without provider settings: retried, so a worker that has them can take it.
      throw new Error('payment activities need the payment providers (PAYPAL_*, STRIPE_*)');
    }
    const payment = await settlement.load(paymentId);
    if (payment.status === 'none') {
      throw ApplicationFailure.create({
        message: `no payment ${paymentId} (no PaymentInitiated in its stream)`,
        type: ACTIVITY_FAILURE_TYPES.notFound,
        nonRetryable: true,
      });
    }
    return [settlement, payment];
  };

  return {
    async pollPayment({ paymentId }) {
      const [payments, payment] = await existing(paymentId);
      const state = await payments.settle(payment, 'poll', activityContext());
      if (state.status !== payment.status)
        log.info('activities: payment moved by a poll', { paymentId, status: state.status });
      return progressOf(state, payment);
    },

    async expirePayment({ paymentId }) {
      const [payments, payment] = await existing(paymentId);
      const context = activityContext();
      let state: PaymentState = payment;
      try {
        // Once more: a capture the provider made meanwhile is credited, not expired.
        state = await payments.settle(payment, 'poll', context);
      } catch (error) {
        if (!(error instanceof PaymentProviderError) || error.retryable) throw error;
        log.warn('activities: the provider refused the last look, the payment expires', {
          paymentId,
          error: error.message,
        });
      }
      if (state.status === 'initiated' || state.status === 'approved') {
        const expired = await payments.run(
          paymentId,
          { type: 'ExpirePayment', data: {} },
          context,
          paymentExpiryKey(paymentId),
        );
        state = expired.state;
        log.info('activities: payment expired', { paymentId });
      }
      return progressOf(state, payment);
    },
  };
}
