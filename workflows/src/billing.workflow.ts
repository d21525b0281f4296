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
import {
  ACTIVITY_FAILURE_TYPES,
  ACTIVITY_HEARTBEAT_TIMEOUT,
  type PeriodChargeResult,
  type PowerChangeResult,
  type StratusActivities,
  type UnpaidCharge,
} from './activities';
import {
  billingStatusQuery,
  DEFAULT_MAX_PERIODS_PER_RUN,
  DEFAULT_SUSPENDED_DELETE_AFTER_SECONDS,
  DEFAULT_SUSPENDED_DELETION_WARNING_SECONDS,
  deleteServerSignal,
  walletToppedUpSignal,
  type BillingStatus,
  type BillingWorkflowInput,
} from './contracts';

/** Wallet and event-store work: retried patiently; a period is never skipped because the database blinked. */
const store = proxyActivities<StratusActivities>({
  startToCloseTimeout: '30s',
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
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
  heartbeatTimeout: ACTIVITY_HEARTBEAT_TIMEOUT,
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
 * still holds its resources at the provider). deleteServerSignal: the settlement (every whole period elapsed
 * up to the deletion, charged under its period charge id however late the workflow is; the unpaid periods
 * retried oldest first; the prorated final charge; what the wallet still cannot pay recorded as its debt),
 * delete at the provider, record the deletion, end. continueAsNew after maxPeriodsPerRun periods or when suggested.
 *
 * Never ends Failed while its instance lives: a deletion recorded on the stream (whose signal was lost) is
 * seen by every charge, suspend and resume, which are no-ops once deletion is requested; a suspension or
 * resumption that fails for good is recorded (VpsBillingActionFailed) and tried again at the next boundary.
 * Before suspending, the unpaid periods are tried once more (a top-up whose signal was lost). A server
 * suspended for suspendedDeleteAfterSeconds is warned (VpsDeletionWarning) and then deleted by the system.
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
  let toppedUp = input.state?.toppedUp ?? false;
  // When the current suspension was recorded (not carried by runs from before it existed: counted from now).
  let suspendedAt = input.state?.suspendedAt
    ? Date.parse(input.state.suspendedAt)
    : suspended
      ? workflowNow()
      : null;
  let deletionWarningsSent = input.state?.deletionWarningsSent ?? 0;
  /** A suspension that failed for good waits for the next period boundary. */
  let suspendRetryAt = 0;
  const deleteAfterMs = (input.suspendedDeleteAfterSeconds ?? DEFAULT_SUSPENDED_DELETE_AFTER_SECONDS) * 1000;
  const warningsMs = [
    ...(input.suspendedDeletionWarningSeconds ?? DEFAULT_SUSPENDED_DELETION_WARNING_SECONDS),
  ]
    .map((seconds) => seconds * 1000)
    .filter((ms) => ms > 0 && ms < deleteAfterMs)
    .sort((a, b) => b - a);

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

  /** The stream recorded a deletion (its signal may have been lost): delete the server. */
  const noteDeletion = (result: PeriodChargeResult | PowerChangeResult) => {
    if (result?.deletionRequestedAt && deletion === null)
      deletion = { requestedAt: result.deletionRequestedAt };
  };

  /**
   * A suspension or resumption the provider (or the domain) refused for good: recorded on the server's stream,
   * tried again at the next period boundary. Histories from before this rule failed the workflow here.
   */
  const recordActionFailure = async (action: 'suspend' | 'resume', error: unknown) => {
    if (!patched('billing-action-failure-recorded')) throw error;
    const cause = error instanceof Error ? ((error.cause as Error | undefined) ?? error) : undefined;
    const reason = cause?.message || String(error);
    await store.recordBillingActionFailed({
      vpsId,
      action,
      reason,
      attempt: new Date(billedUntil).toISOString(),
    });
    log.warn('billing: action failed, retried at the next period', { vpsId, action, reason });
  };

  const resume = async () => {
    let result: PowerChangeResult;
    try {
      result = await provider.resumeVps({ vpsId, since: suspendedSince ?? '' });
    } catch (error) {
      await recordActionFailure('resume', error);
      return;
    }
    noteDeletion(result);
    if (deletion !== null) return;
    suspended = false;
    suspendedSince = null;
    suspendedAt = null;
    deletionWarningsSent = 0;
    log.info('billing: debt paid, server resumed', { vpsId });
  };

  /** Oldest first; stops at the first the wallet still cannot pay (or at a recorded deletion). */
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
      noteDeletion(result);
      if (result.outcome !== 'charged') return;
      unpaid.shift();
      if (deletion !== null) return;
    }
    firstFailureAt = null;
    if (suspended) await resume();
  };

  /** Warnings, then the deletion (the normal path, the system as actor) of a server suspended too long. */
  const suspensionDeadlines = () => {
    if (!suspended || suspendedAt === null || !patched('suspended-server-deletion')) return null;
    const deleteAt = suspendedAt + deleteAfterMs;
    const nextWarning =
      deletionWarningsSent < warningsMs.length ? deleteAt - warningsMs[deletionWarningsSent] : null;
    return { deleteAt, nextWarning };
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
      !suspended && unpaid.length > 0 && firstFailureAt !== null
        ? Math.max(firstFailureAt + graceMs, suspendRetryAt)
        : Infinity;
    const deadlines = suspensionDeadlines();
    const wakeAt = Math.min(
      nextBoundary,
      suspendAt,
      deadlines?.nextWarning ?? Infinity,
      deadlines?.deleteAt ?? Infinity,
    );
    const now = workflowNow();
    if (wakeAt > now) await condition(() => deletion !== null || toppedUp, wakeAt - now);
    if (deletion !== null) continue;

    if (toppedUp) {
      toppedUp = false;
      if (unpaid.length > 0) await retryUnpaid();
      if (deletion !== null) continue;
    }

    if (workflowNow() >= nextBoundary) {
      if (unpaid.length > 0)
        await retryUnpaid(); // the periodic re-check
      else if (suspended) await resume(); // a resumption that failed at the last boundary
      if (deletion !== null) continue;
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
      noteDeletion(result);
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

    if (deletion !== null) continue;

    if (
      !suspended &&
      unpaid.length > 0 &&
      firstFailureAt !== null &&
      workflowNow() >= Math.max(firstFailureAt + graceMs, suspendRetryAt)
    ) {
      // The notifier is best-effort: a top-up whose signal was lost still saves the server from suspension.
      if (patched('retry-unpaid-before-suspending')) {
        await retryUnpaid();
        if (deletion !== null) continue;
      }
    }
    if (
      !suspended &&
      unpaid.length > 0 &&
      firstFailureAt !== null &&
      workflowNow() >= Math.max(firstFailureAt + graceMs, suspendRetryAt)
    ) {
      const debt = formatMoney(unpaid.reduce((sum, p) => sum + money(p.amount), 0n));
      const since = unpaid[0].periodStart;
      let result: PowerChangeResult;
      try {
        result = await provider.suspendVps({ vpsId, debt, since });
      } catch (error) {
        await recordActionFailure('suspend', error);
        suspendRetryAt = billedUntil + periodMs;
        continue;
      }
      noteDeletion(result);
      if (deletion !== null) continue;
      suspended = true;
      suspendedSince = since;
      suspendedAt = workflowNow();
      deletionWarningsSent = 0;
      log.warn('billing: server suspended for unpaid periods', { vpsId, debt, unpaid: unpaid.length });
    }

    const due = suspensionDeadlines();
    if (due !== null) {
      const deleteAt = new Date(due.deleteAt).toISOString();
      while (
        deletionWarningsSent < warningsMs.length &&
        workflowNow() >= due.deleteAt - warningsMs[deletionWarningsSent]
      ) {
        await store.warnDeletion({ vpsId, deleteAt, secondsBefore: warningsMs[deletionWarningsSent] / 1000 });
        deletionWarningsSent += 1;
      }
      if (workflowNow() >= due.deleteAt) {
        await store.requestSystemDeletion({ vpsId });
        deletion = { requestedAt: new Date(workflowNow()).toISOString() };
        log.warn('billing: suspended too long, deleting', { vpsId, suspendedSince });
        continue;
      }
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
          toppedUp,
          suspendedAt: suspendedAt === null ? null : new Date(suspendedAt).toISOString(),
          deletionWarningsSent,
        },
      });
    }
  }

  async function finalize(request: { requestedAt: string }): Promise<BillingResult> {
    // Bill up to the request, never past the moment it is handled, never before what was already billed.
    const handledAt = workflowNow();
    const requested = Date.parse(request.requestedAt);
    const deletedAt = Math.min(Number.isFinite(requested) ? requested : handledAt, handledAt);
    // Patched: histories recorded when finalize charged only [billedUntil, deletion) still replay.
    const settle = patched('finalize-settles-every-period');
    if (settle) {
      // A late workflow (workers were down) handles the deletion before its catch-up: every whole period
      // elapsed is charged as the loop would have, under its period charge id.
      while (billedUntil + periodMs <= deletedAt) {
        const periodStart = new Date(billedUntil).toISOString();
        const periodEnd = new Date(billedUntil + periodMs).toISOString();
        const result = await store.chargePeriod({
          vpsId,
          periodStart,
          periodEnd,
          periodSeconds: input.periodSeconds,
          attempt: 1,
        });
        billedUntil += periodMs;
        if (result.outcome !== 'charged') {
          unpaid.push({ periodStart, periodEnd, amount: result.amount, attempts: 1 });
        }
      }
      // The unpaid periods, oldest first (a top-up may have come just before the deletion); no resume.
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
        if (result.outcome !== 'charged') break;
        unpaid.shift();
      }
    }
    const final = await store.chargeFinalPeriod({
      vpsId,
      from: new Date(billedUntil).toISOString(),
      to: new Date(Math.max(deletedAt, billedUntil)).toISOString(),
      periodSeconds: input.periodSeconds,
    });
    if (settle) {
      // What the wallet still cannot pay stays owed: the organization's debt, collected by its next credit.
      const debts: UnpaidCharge[] = unpaid.map((p) => ({
        periodStart: p.periodStart,
        periodEnd: p.periodEnd,
        amount: p.amount,
        final: false,
      }));
      if (final.finalChargeId !== null && !final.charged) {
        debts.push({
          periodStart: new Date(billedUntil).toISOString(),
          periodEnd: new Date(Math.max(deletedAt, billedUntil)).toISOString(),
          amount: final.finalCharge,
          final: true,
        });
      }
      if (debts.length > 0) await store.recordDebts({ vpsId, charges: debts });
    }
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
