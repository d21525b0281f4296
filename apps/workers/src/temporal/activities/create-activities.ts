import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import {
  amountOwedFromFacts,
  canonicalInstant,
  firstHourStartOf,
  chargeForElapsed,
  formatMoney,
  money,
  vpsChargeId,
  vpsInstanceLabel,
  vpsInstanceTags,
  type BillingFacts,
  type WalletEvent,
} from '@stratus/domain';
import { deleteInstancesOf, liveInstancesOf, syncPlatformFirewall } from '@stratus/infra';
import { ACTIVITY_FAILURE_TYPES, type StratusActivities } from '@stratus/workflows';
import { Streams, withFailureMapping, type ActivityDependencies } from './activity-support';
import { createPaymentActivities } from './payment-activities';
import { createOperationActivities } from './operation-activities';
import { createReconciliationActivities } from './reconciliation-activities';
import { createTransferActivities } from './transfer-activities';

export type { ActivityDependencies } from './activity-support';

/** The start of a server's first hour (firstHourStartOf: the recorded charge's, else the request's occurredAt). */
function firstHourStartIso(facts: BillingFacts): string {
  const start = firstHourStartOf(facts);
  if (start === null) throw new Error('no VpsRequested in the stream');
  return new Date(start).toISOString();
}

/**
 * The activities of every workflow (provisioning, billing, reconciliation, payments, server operations). Every one is safe to run twice: events carry
 * deterministic ids (CommandExecutor), instances are found by tag before one is created, deleting a missing
 * instance succeeds. Domain refusals and final provider errors become non-retryable failures.
 */
export function createActivities(deps: ActivityDependencies): StratusActivities {
  const streams = new Streams(deps);
  const clock = deps.clock ?? (() => new Date());
  const pollIntervalMs = deps.pollIntervalMs ?? 2000;
  const { provider, log } = deps;

  const instanceIdOf = async (vpsId: string) => (await streams.vps(vpsId)).providerInstanceId;

  const deleteInstances: StratusActivities['deleteInstances'] = async ({ vpsId, providerInstanceId }) => {
    // By tag as well as by id: an instance created by a run whose answer was lost is found and deleted too.
    const { deleted } = await deleteInstancesOf(provider, vpsId, providerInstanceId);
    log.info('activities: instances deleted', { vpsId, deleted });
    return { deleted };
  };

  /**
   * Boots or shuts an instance down unless it is already there or on its way: the retry of a request whose answer
   * was lost finds it booting (shutting down), and Linode answers 400 "Linode busy." to a second request then.
   */
  const powerUnlessAlready = async (instanceId: string, action: 'boot' | 'shutdown') => {
    const status = (await provider.getInstance(instanceId))?.status;
    const already = action === 'boot' ? ['booting', 'running'] : ['shutting_down', 'offline'];
    if (status === undefined || !already.includes(status)) await provider[action](instanceId);
  };

  const activities: StratusActivities = {
    async recordProvisioningStage({ vpsId, stage, attempt }) {
      await streams.vpsCommand(vpsId, `stage:${stage}:${attempt}`, () => ({
        type: 'RecordProvisioningStage',
        data: { stage, attempt },
      }));
    },

    async chargeFirstHour({ vpsId, periodStart, periodSeconds }) {
      const { state: vps, facts } = await streams.vpsForBilling(vpsId);
      const hourlyPrice = formatMoney(vps.hourlyPrice);
      // The first hour's charge id is a function of the stream (the rule reconciliation expects), so every run
      // of this activity, and the compensation registered before it, name the same charge.
      const start = canonicalInstant(periodStart ?? firstHourStartIso(facts), 'periodStart');
      const end = new Date(Date.parse(start) + periodSeconds * 1000).toISOString();
      const chargeId = vpsChargeId(vpsId, start);
      const amount = chargeForElapsed(vps.hourlyPrice, periodSeconds, periodSeconds);
      const event = await streams.charge({
        organizationId: vps.organizationId,
        chargeId,
        amount,
        attempt: 1,
        description: `Server ${vps.label}: first hour`,
        subject: { vpsId, periodStart: start, periodEnd: end },
      });
      if (event.type !== 'WalletCharged') {
        const balance = event.type === 'WalletChargeFailed' ? event.data.balance : '0';
        log.warn('activities: first hour not paid', {
          vpsId,
          chargeId,
          amount: formatMoney(amount),
          balance,
        });
        return { outcome: 'insufficient_funds', chargeId, amount: formatMoney(amount), balance };
      }
      await streams.vpsCommand(vpsId, `first-hour-charged:${chargeId}`, () => ({
        type: 'RecordFirstHourCharged',
        data: { chargeId, amount, periodStart: start, periodEnd: end },
      }));
      return {
        outcome: 'charged',
        chargeId,
        amount: formatMoney(amount),
        hourlyPrice,
        periodStart: start,
        periodEnd: end,
      };
    },

    async createInstance({ vpsId }) {
      const vps = await streams.vps(vpsId);
      let instances = await liveInstancesOf(provider, vpsId);
      if (instances.length === 0) {
        const rootPassword = deps.secretBox.decrypt(vps.encryptedRootPassword, vpsId);
        // Behind the platform's default firewall when staff set a policy (a server has no rules of its own yet).
        const policy = await streams.firewallPolicy();
        const firewallId = policy === null ? undefined : await syncPlatformFirewall(provider, policy);
        await provider.createInstance({
          ...(firewallId === undefined ? {} : { firewallId }),
          label: vpsInstanceLabel(vpsId, vps.label),
          region: vps.region,
          type: vps.providerPlanId,
          image: vps.image,
          rootPassword,
          authorizedKeys: vps.authorizedKeys,
          backupsEnabled: vps.backups,
          tags: vpsInstanceTags(vpsId),
        });
        instances = await liveInstancesOf(provider, vpsId);
      }
      // Two runs racing (a timed-out attempt still in flight) could both create: keep the oldest, delete the rest.
      instances.sort((a, b) => Number(a.id) - Number(b.id) || a.id.localeCompare(b.id));
      const [kept, ...extra] = instances;
      if (!kept) throw new Error(`instance for ${vpsId} not found right after creating it`);
      for (const instance of extra) await provider.deleteInstance(instance.id);
      if (vps.providerInstanceId && vps.providerInstanceId !== kept.id) {
        throw ApplicationFailure.create({
          message: `server ${vpsId} already recorded instance ${vps.providerInstanceId}, provider has ${kept.id}`,
          type: ACTIVITY_FAILURE_TYPES.domainRejected,
          nonRetryable: true,
        });
      }
      await streams.vpsCommand(vpsId, `instance-created:${kept.id}`, () => ({
        type: 'RecordInstanceCreated',
        data: { providerInstanceId: kept.id },
      }));
      log.info('activities: instance ready to boot', { vpsId, providerInstanceId: kept.id });
      return { providerInstanceId: kept.id };
    },

    async waitUntilRunning({ vpsId, providerInstanceId, timeoutSeconds }) {
      const context = Context.current();
      // The deadline survives a retry of this activity (worker killed): it travels in the heartbeat details.
      const previous = context.info.heartbeatDetails as { deadline?: number } | undefined;
      const deadline = previous?.deadline ?? clock().getTime() + timeoutSeconds * 1000;
      let lastStatus = 'unknown';
      for (;;) {
        context.heartbeat({ deadline });
        const instance = await provider.getInstance(providerInstanceId);
        if (!instance) {
          throw ApplicationFailure.create({
            message: `instance ${providerInstanceId} of ${vpsId} disappeared at the provider`,
            type: ACTIVITY_FAILURE_TYPES.providerFinal,
            nonRetryable: true,
          });
        }
        lastStatus = instance.status;
        if (instance.status === 'running') {
          const ipv4 = instance.ipv4[0];
          if (ipv4) return { outcome: 'running', ipv4 };
        }
        if (clock().getTime() >= deadline) return { outcome: 'timeout', lastStatus };
        await context.sleep(Math.min(pollIntervalMs, Math.max(1, deadline - clock().getTime())));
      }
    },

    async markProvisioningStuck({ vpsId, stage, reason, attempt }) {
      await streams.vpsCommand(vpsId, `stuck:${stage}:${attempt}`, () => ({
        type: 'MarkProvisioningStuck',
        data: { stage, reason },
      }));
      log.warn('activities: provisioning stuck', { vpsId, stage, reason });
    },

    async retryProvisioning({ vpsId, stage, attempt }) {
      await streams.vpsCommand(vpsId, `retry:${stage}:${attempt}`, () => ({
        type: 'RetryProvisioning',
        data: { stage },
      }));
    },

    async activateVps({ vpsId, providerInstanceId, ipv4, billingWorkflowId, firstHourEnd, billedUntil }) {
      const vps = await streams.vps(vpsId);
      if (vps.status === 'cancelling') return { outcome: 'deletion_requested' };
      const hourEnd = canonicalInstant(firstHourEnd ?? billedUntil ?? '', 'firstHourEnd');
      const activatedAt = clock().toISOString();
      // Hours stuck in provisioning are not billed: periods start at the later of the first hour's end and now.
      const billingStart = Date.parse(activatedAt) > Date.parse(hourEnd) ? activatedAt : hourEnd;
      const result = await streams.vpsCommand(vpsId, 'activated', () => ({
        type: 'ActivateVps',
        data: { providerInstanceId, ipv4, billingWorkflowId, billedUntil: billingStart, activatedAt },
      }));
      // A retry finds the activation recorded by an earlier run: its billedUntil stands.
      const recorded = result.events.find((e) => e.type === 'VpsActivated');
      return { outcome: 'activated', billedUntil: recorded?.data.billedUntil ?? billingStart };
    },

    async isDeletionRequested({ vpsId }) {
      const { status } = await streams.vps(vpsId);
      return status === 'cancelling' || status === 'deleting';
    },

    deleteInstances,

    async refundFirstHour({ vpsId, chargeId: givenChargeId, reason }) {
      const { state: vps, facts } = await streams.vpsForBilling(vpsId);
      const chargeId = givenChargeId ?? vpsChargeId(vpsId, firstHourStartIso(facts));
      // Only a recorded charge is refunded, for what it took (its activity may have failed after it committed).
      const charge = await streams.refundFirstHour({ organizationId: vps.organizationId, chargeId, reason });
      if (charge === null) {
        log.info('activities: first hour never charged, nothing to refund', { vpsId, chargeId });
        return { refunded: false };
      }
      log.info('activities: first hour refunded', { vpsId, chargeId, amount: formatMoney(charge.amount) });
      return { refunded: true };
    },

    async failProvisioning({ vpsId, stage, reason, instanceDeleted, refunded }) {
      await streams.vpsCommand(vpsId, 'failed', () => ({
        type: 'FailProvisioning',
        data: { stage, reason: reason.slice(0, 1000), instanceDeleted, refunded },
      }));
      await streams.releaseBurn((await streams.vps(vpsId)).organizationId, vpsId);
      log.warn('activities: provisioning failed', { vpsId, stage, reason, instanceDeleted, refunded });
    },

    async chargePeriod({ vpsId, periodStart, periodEnd, periodSeconds, attempt }) {
      const { state: vps, facts, deletionRequestedAt } = await streams.vpsForBilling(vpsId);
      const chargeId = vpsChargeId(vpsId, periodStart);
      // deletionRequestedAt: a deletion recorded whose signal was lost; the workflow learns it here and deletes the server.
      // The same rule as owedForServer (reconciliation): nothing for the time the server was suspended.
      const amount = amountOwedFromFacts(facts, periodStart, periodEnd, periodSeconds);
      // Fully suspended: nothing owed, so nothing to charge (the wallet refuses 0); the period counts as paid.
      if (amount === 0n)
        return { outcome: 'charged', chargeId, amount: formatMoney(0n), deletionRequestedAt };
      if (attempt > 1) {
        // A retry the wallet still cannot pay records nothing: one failed charge per period, not one per re-check.
        const balance = await streams.walletBalance(vps.organizationId);
        if (balance < amount) {
          return {
            outcome: 'insufficient_funds',
            chargeId,
            amount: formatMoney(amount),
            balance: formatMoney(balance),
            deletionRequestedAt,
          };
        }
      }
      const event: WalletEvent = await streams.charge({
        organizationId: vps.organizationId,
        chargeId,
        amount,
        attempt,
        description: `Server ${vps.label}: ${periodStart} to ${periodEnd}`,
        subject: { vpsId, periodStart, periodEnd },
      });
      if (event.type === 'WalletCharged') {
        await streams.vpsCommand(vpsId, `period-billed:${chargeId}`, () => ({
          type: 'RecordPeriodBilled',
          data: { chargeId, amount, periodStart, periodEnd },
        }));
        return { outcome: 'charged', chargeId, amount: formatMoney(amount), deletionRequestedAt };
      }
      const balance = event.type === 'WalletChargeFailed' ? event.data.balance : '0';
      await streams.vpsCommand(vpsId, `period-charge-failed:${chargeId}:${attempt}`, () => ({
        type: 'RecordPeriodChargeFailed',
        data: { chargeId, amount, periodStart, periodEnd },
      }));
      // The notification: a structured log line (and the events above, which the read models show).
      log.warn('activities: period charge failed (insufficient funds)', {
        vpsId,
        organizationId: vps.organizationId,
        chargeId,
        amount: formatMoney(amount),
        balance,
        attempt,
      });
      return {
        outcome: 'insufficient_funds',
        chargeId,
        amount: formatMoney(amount),
        balance,
        deletionRequestedAt,
      };
    },

    async suspendVps({ vpsId, debt, since }) {
      const { state: vps, deletionRequestedAt } = await streams.vpsForBilling(vpsId);
      // Once its deletion is requested the server is deleted, not suspended: nothing to do here.
      if (deletionRequestedAt !== null || vps.status === 'deleted') return { deletionRequestedAt };
      if (vps.providerInstanceId) await powerUnlessAlready(vps.providerInstanceId, 'shutdown');
      await streams.vpsCommand(vpsId, `suspended:${since}`, () => ({
        type: 'SuspendVps',
        data: { debt: money(debt) },
      }));
      log.warn('activities: server suspended', { vpsId, debt });
      return { deletionRequestedAt: null };
    },

    async resumeVps({ vpsId, since }) {
      const { state: vps, deletionRequestedAt } = await streams.vpsForBilling(vpsId);
      // Once its deletion is requested the server is not booted again (a top-up racing the deletion).
      if (deletionRequestedAt !== null || vps.status === 'deleted') return { deletionRequestedAt };
      if (vps.providerInstanceId) await powerUnlessAlready(vps.providerInstanceId, 'boot');
      await streams.vpsCommand(vpsId, `resumed:${since}`, () => ({ type: 'ResumeVps', data: {} }));
      log.info('activities: server resumed', { vpsId });
      return { deletionRequestedAt: null };
    },

    async recordBillingActionFailed({ vpsId, action, reason, attempt }) {
      await streams.vpsCommand(vpsId, `billing-action-failed:${action}:${attempt}`, (state) =>
        state.status === 'active' || state.status === 'suspended' || state.status === 'deleting'
          ? { type: 'RecordBillingActionFailed', data: { action, reason: reason.slice(0, 1000), attempt } }
          : null,
      );
      log.warn('activities: billing action failed, retried at the next period', { vpsId, action, reason });
    },

    async warnDeletion({ vpsId, deleteAt, secondsBefore }) {
      await streams.vpsCommand(vpsId, `deletion-warning:${deleteAt}:${secondsBefore}`, () => ({
        type: 'WarnDeletion',
        data: { deleteAt },
      }));
      log.warn('activities: suspended server will be deleted', { vpsId, deleteAt });
    },

    async requestSystemDeletion({ vpsId }) {
      // The normal deletion path, with the system as actor (activityContext).
      await streams.vpsCommand(vpsId, 'deletion-requested', () => ({ type: 'RequestDeletion', data: {} }));
      log.warn('activities: long-suspended server deleted by the system', { vpsId });
    },

    async chargeFinalPeriod({ vpsId, from, to, periodSeconds }) {
      const { state: vps, facts } = await streams.vpsForBilling(vpsId);
      // [from, to) less suspensions, ending at the recorded deletion request when earlier (owedForServer's rule).
      const amount =
        Date.parse(to) > Date.parse(from) ? amountOwedFromFacts(facts, from, to, periodSeconds) : 0n;
      if (amount <= 0n) return { finalChargeId: null, finalCharge: '0', charged: false };
      const chargeId = vpsChargeId(vpsId, canonicalInstant(from, 'from'));
      const event = await streams.charge({
        organizationId: vps.organizationId,
        chargeId,
        amount,
        attempt: 'final',
        description: `Server ${vps.label}: final ${from} to ${to}`,
        subject: { vpsId, periodStart: from, periodEnd: to, final: 'true' },
      });
      return {
        finalChargeId: chargeId,
        finalCharge: formatMoney(amount),
        charged: event.type === 'WalletCharged',
      };
    },

    async recordDebts({ vpsId, charges }) {
      const vps = await streams.vps(vpsId);
      let recorded = 0;
      let charged = 0;
      for (const charge of charges) {
        const chargeId = vpsChargeId(vpsId, canonicalInstant(charge.periodStart, 'periodStart'));
        const event = await streams.recordDebt({
          organizationId: vps.organizationId,
          chargeId,
          amount: money(charge.amount),
          description: `Server ${vps.label}: ${charge.final ? 'final ' : ''}${charge.periodStart} to ${charge.periodEnd}`,
          subject: {
            vpsId,
            periodStart: charge.periodStart,
            periodEnd: charge.periodEnd,
            ...(charge.final ? { final: 'true' } : {}),
          },
        });
        if (event?.type === 'WalletDebtRecorded') recorded += 1;
        if (event?.type === 'WalletCharged') charged += 1;
      }
      if (recorded > 0) {
        log.warn('activities: unpaid charges kept as the wallet debt', {
          vpsId,
          organizationId: vps.organizationId,
          recorded,
        });
      }
      return { recorded, charged };
    },

    async markDeleted({ vpsId, finalChargeId, finalCharge, deletedAt }) {
      // A deletion signalled without the request recorded (e.g. by staff tooling) is recorded first.
      await streams.vpsCommand(vpsId, 'deletion-requested', (state) =>
        state.status === 'active' || state.status === 'suspended'
          ? { type: 'RequestDeletion', data: {} }
          : null,
      );
      await streams.vpsCommand(vpsId, 'deleted', () => ({
        type: 'MarkDeleted',
        data: { finalChargeId, finalCharge: money(finalCharge), deletedAt },
      }));
      await streams.releaseBurn((await streams.vps(vpsId)).organizationId, vpsId);
    },

    providerInstanceOf: ({ vpsId }) => instanceIdOf(vpsId),

    async resignalStuckDeletions({ stuckAfterSeconds }) {
      const { stuckDeletions, signalDeletion } = deps;
      if (!stuckDeletions || !signalDeletion) {
        log.warn('activities: deletion re-signal skipped (no read model or Temporal client configured)');
        return { signalled: 0 };
      }
      const before = new Date(clock().getTime() - stuckAfterSeconds * 1000);
      let signalled = 0;
      for (const { vpsId, since } of await stuckDeletions.deletingSince(before, 500)) {
        const { deletionRequestedAt: requestedAt } = await streams.vpsForBilling(vpsId);
        if (requestedAt === null) continue; // the read model is ahead of nothing: the stream decides
        try {
          await signalDeletion(vpsId, { requestedAt });
          signalled += 1;
          log.warn('activities: deletion re-signalled', { vpsId, deletingSince: since });
        } catch (error) {
          // A finished or missing billing workflow: nothing to signal; the others still get theirs.
          log.warn('activities: deletion re-signal failed', { vpsId, error: String(error) });
        }
      }
      return { signalled };
    },

    ...createReconciliationActivities(deps, streams.executor),
    ...createPaymentActivities(deps, streams.executor),
    ...createOperationActivities(deps, streams),
    ...createTransferActivities(deps, streams),
  };
  return withFailureMapping(activities as unknown as Record<string, () => Promise<unknown>>, [
    'waitUntilRunning', // heartbeats its deadline
    'waitForOperationRunning', // heartbeats its deadline
    'runBillingReconciliation', // heartbeats the last organization recorded
  ]) as unknown as StratusActivities;
}
