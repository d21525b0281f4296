import {
  condition,
  continueAsNew,
  log,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { formatMoney, money } from '@stratus/domain';
import { workflowNow } from './workflow-clock';
import { ACTIVITY_FAILURE_TYPES, type StratusActivities } from './activities';
import {
  billingStatusQuery,
  DEFAULT_MAX_PERIODS_PER_RUN,
  deleteServerSignal,
  walletToppedUpSignal,
  type BillingStatus,
  type BillingWorkflowInput,
} from './contracts';

/** Wallet and event-store work: retried patiently; a period is never skipped because the database blinked. */
const store = proxyActivities<StratusActivities>({
  startToCloseTimeout: '30s',
  retry: {
    initialInterval: '200ms',
    backoffCoefficient: 2,
    maximumInterval: '30s',
    nonRetryableErrorTypes: [ACTIVITY_FAILURE_TYPES.domainRejected, ACTIVITY_FAILURE_TYPES.notFound],
  },
});

/** Power actions and deletion at the provider: retried until they succeed (deleting a missing instance is fine). */
const provider = proxyActivities<StratusActivities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '60s' },
});

type UnpaidPeriod = NonNullable<BillingWorkflowInput['state']>['unpaidPeriods'][number];

export type BillingResult = {
  outcome: 'deleted';
  finalChargeId: string | null;
  finalCharge: string;
  unpaidPeriods: number;
};

/**
 * Bills one active server in arrears: the first period was paid by provisioning (billedUntil), then at
 * each boundary the period just ended is charged. A charge the wallet cannot pay is recorded, the period
 * stays unpaid and, graceSeconds after the first failure, the server is shut down and suspended; a top-up
 * (walletToppedUpSignal, and every boundary as a re-check) retries the unpaid periods oldest first, and
 * when all are paid the server boots and resumes. Periods keep accruing while suspended (the instance
 * still holds its resources at the provider). deleteServerSignal: a prorated final charge, delete at the
 * provider, record the deletion, end. continueAsNew after maxPeriodsPerRun periods or when suggested.
 */
export async function billingWorkflow(input: BillingWorkflowInput): Promise<BillingResult> {
  const { vpsId } = input;
  const periodMs = input.periodSeconds * 1000;
  const graceMs = input.graceSeconds * 1000;
  const maxPeriodsPerRun = input.maxPeriodsPerRun ?? DEFAULT_MAX_PERIODS_PER_RUN;

  let billedUntil = Date.parse(input.billedUntil);
  const unpaid: UnpaidPeriod[] = (input.state?.unpaidPeriods ?? []).map((p) => ({ ...p }));
  let suspended = input.state?.suspended ?? false;
  let suspendedSince = input.state?.suspendedSince ?? null;
  let firstFailureAt = input.state?.firstFailureAt ? Date.parse(input.state.firstFailureAt) : null;
  let periodsThisRun = 0;
  let deletion: { requestedAt: string } | null = null;
  let toppedUp = false;

  setHandler(billingStatusQuery, (): BillingStatus => ({
    vpsId,
    billedUntil: new Date(billedUntil).toISOString(),
    suspended,
    unpaidPeriods: unpaid.length,
    periodsThisRun,
  }));
  setHandler(deleteServerSignal, (request) => {
    deletion ??= request;
  });
  setHandler(walletToppedUpSignal, () => {
    toppedUp = true;
  });

  /** Oldest first; stops at the first the wallet still cannot pay. */
  const retryUnpaid = async () => {
    while (unpaid.length > 0) {
      const period = unpaid[0];
      period.attempts = (period.attempts ?? 1) + 1;
      const result = await store.chargePeriod({
        vpsId,
        periodStart: period.periodStart,
        periodEnd: period.periodEnd,
        periodSeconds: input.periodSeconds,
        attempt: period.attempts,
      });
      if (result.outcome !== 'charged') return;
      unpaid.shift();
    }
    firstFailureAt = null;
    if (suspended) {
      await provider.resumeVps({ vpsId, since: suspendedSince ?? '' });
      suspended = false;
      suspendedSince = null;
      log.info('billing: debt paid, server resumed', { vpsId });
    }
  };

  // A deletion requested between activation and this workflow's start signalled nobody: look for it once.
  // (Patched so histories recorded before this check still replay.)
  if (!input.state && patched('deletion-check-at-start') && deletion === null) {
    if (await store.isDeletionRequested({ vpsId }))
      deletion = { requestedAt: new Date(workflowNow()).toISOString() };
  }

  for (;;) {
    if (deletion !== null) return await finalize(deletion);

    const nextBoundary = billedUntil + periodMs;
    const suspendAt =
      !suspended && unpaid.length > 0 && firstFailureAt !== null ? firstFailureAt + graceMs : Infinity;
    const wakeAt = Math.min(nextBoundary, suspendAt);
    const now = workflowNow();
    if (wakeAt > now) await condition(() => deletion !== null || toppedUp, wakeAt - now);
    if (deletion !== null) continue;

    if (toppedUp) {
      toppedUp = false;
      if (unpaid.length > 0) await retryUnpaid();
    }

    if (workflowNow() >= nextBoundary) {
      if (unpaid.length > 0) await retryUnpaid(); // the periodic re-check
      const periodStart = new Date(billedUntil).toISOString();
      const periodEnd = new Date(nextBoundary).toISOString();
      const result = await store.chargePeriod({
        vpsId,
        periodStart,
        periodEnd,
        periodSeconds: input.periodSeconds,
        attempt: 1,
      });
      billedUntil = nextBoundary;
      periodsThisRun += 1;
      if (result.outcome !== 'charged') {
        unpaid.push({ periodStart, periodEnd, amount: result.amount, attempts: 1 });
        firstFailureAt ??= workflowNow();
        log.warn('billing: period unpaid (insufficient funds)', {
          vpsId,
          periodStart,
          amount: result.amount,
          balance: result.balance,
        });
      }
    }

    if (
      !suspended &&
      unpaid.length > 0 &&
      firstFailureAt !== null &&
      workflowNow() >= firstFailureAt + graceMs
    ) {
      const debt = formatMoney(unpaid.reduce((sum, p) => sum + money(p.amount), 0n));
      const since = unpaid[0].periodStart;
      await provider.suspendVps({ vpsId, debt, since });
      suspended = true;
      suspendedSince = since;
      log.warn('billing: server suspended for unpaid periods', { vpsId, debt, unpaid: unpaid.length });
    }

    if (periodsThisRun >= maxPeriodsPerRun || workflowInfo().continueAsNewSuggested) {
      if (deletion !== null) continue;
      return await continueAsNew<typeof billingWorkflow>({
        ...input,
        billedUntil: new Date(billedUntil).toISOString(),
        state: {
          unpaidPeriods: unpaid,
          suspended,
          suspendedSince,
          firstFailureAt: firstFailureAt === null ? null : new Date(firstFailureAt).toISOString(),
        },
      });
    }
  }

  async function finalize(request: { requestedAt: string }): Promise<BillingResult> {
    // Bill up to the request, never past the moment it is handled, never before what was already billed.
    const handledAt = workflowNow();
    const requested = Date.parse(request.requestedAt);
    const deletedAt = Math.min(Number.isFinite(requested) ? requested : handledAt, handledAt);
    const final = await store.chargeFinalPeriod({
      vpsId,
      from: new Date(billedUntil).toISOString(),
      to: new Date(Math.max(deletedAt, billedUntil)).toISOString(),
      periodSeconds: input.periodSeconds,
    });
    const providerInstanceId = await store.providerInstanceOf({ vpsId });
    await provider.deleteInstances({ vpsId, providerInstanceId });
    await store.markDeleted({
      vpsId,
      finalChargeId: final.finalChargeId,
      finalCharge: final.finalCharge,
      deletedAt: new Date(deletedAt).toISOString(),
    });
    log.info('billing: server deleted', { vpsId, finalCharge: final.finalCharge });
    return {
      outcome: 'deleted',
      finalChargeId: final.finalChargeId,
      finalCharge: final.finalCharge,
      unpaidPeriods: unpaid.length,
    };
  }
}
