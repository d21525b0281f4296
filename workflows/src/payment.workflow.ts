import { condition, log, proxyActivities, setHandler } from '@temporalio/workflow';
import { assertNever } from '@stratus/domain';
import { workflowNow } from './workflow-clock';
import {
  ACTIVITY_FAILURE_TYPES,
  ACTIVITY_HEARTBEAT_TIMEOUT,
  type PaymentProgress,
  type StratusActivities,
} from './activities';
import {
  DEFAULT_PAYMENT_MAX_POLL_SECONDS,
  DEFAULT_PAYMENT_POLL_SECONDS,
  paymentChangedSignal,
  type PaymentWorkflowInput,
} from './contracts';

/**
 * One look at the provider: a few quick retries, then the poll is given up until the next one (a provider down
 * for a while must not hold the workflow past its deadline).
 */
const poll = proxyActivities<StratusActivities>({
  startToCloseTimeout: '60s',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '10s',
    maximumAttempts: 3,
    nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.domainRejected, ACTIVITY_FAILURE_TYPES.notFound],
  },
});

/** The expiry: retried until it is recorded (or the provider's capture is). */
const expiry = proxyActivities<StratusActivities>({
  startToCloseTimeout: '60s',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
  retry: {
    initialInterval: '1s',
    backoffCoefficient: 2,
    maximumInterval: '60s',
    nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.domainRejected, ACTIVITY_FAILURE_TYPES.notFound],
  },
});

export type PaymentResult = { outcome: 'captured' | 'failed' | 'expired'; status: PaymentProgress['status'] };

const outcomeOf = (status: PaymentProgress['status']): PaymentResult['outcome'] | null => {
  switch (status) {
    case 'captured':
    case 'refunded':
    case 'disputed':
      return 'captured';
    case 'failed':
      return 'failed';
    case 'expired':
      return 'expired';
    case 'initiated':
    case 'approved':
      return null;
    default:
      return assertNever(status);
  }
};

/**
 * Drives one customer payment to its end (started by the create route, id paymentWorkflowId). The customer's return
 * and the provider's webhooks settle the payment themselves and signal (paymentChangedSignal) so the workflow looks at
 * once; without them it polls the provider, first after `pollSeconds`, then doubling up to `maxPollSeconds`: a
 * PayPal order approved by a customer who never came back is captured here, a paid Stripe Checkout Session whose
 * webhook never came is found here. Every look goes through the settlement the routes use, so whichever path
 * arrives first records the capture and the one credit. Past `expireAfterSeconds` an abandoned payment expires.
 */
export async function paymentWorkflow(input: PaymentWorkflowInput): Promise<PaymentResult> {
  const { paymentId } = input;
  const deadline = workflowNow() + input.expireAfterSeconds * 1000;
  const maxWaitMs = (input.maxPollSeconds ?? DEFAULT_PAYMENT_MAX_POLL_SECONDS) * 1000;
  let waitMs = Math.min((input.pollSeconds ?? DEFAULT_PAYMENT_POLL_SECONDS) * 1000, maxWaitMs);
  let changed = false;
  setHandler(paymentChangedSignal, () => {
    changed = true;
  });

  for (;;) {
    const remaining = deadline - workflowNow();
    if (remaining <= 0) break;
    const signalled = await condition(() => changed, Math.min(waitMs, remaining));
    changed = false;
    if (!signalled) waitMs = Math.min(waitMs * 2, maxWaitMs);
    let progress: PaymentProgress;
    try {
      progress = await poll.pollPayment({ paymentId });
    } catch (error) {
      // The provider (or the store) failed this time: the next poll, or the expiry, asks again.
      log.warn('payment: poll failed', { paymentId, error: String(error) });
      continue;
    }
    const outcome = outcomeOf(progress.status);
    if (outcome !== null) return { outcome, status: progress.status };
  }
  const { status } = await expiry.expirePayment({ paymentId });
  return { outcome: outcomeOf(status) ?? 'expired', status };
}
