import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  consoleDecider,
  holdsOperations,
  streams as streamIds,
  MAX_VPS_REASON_LENGTH,
  PLATFORM_FIREWALL_LABEL,
  vpsFirewallLabel,
  vpsInstanceLabel,
  vpsInstanceTags,
  type VpsOperation,
  type VpsWithOperations,
} from '@stratus/domain';
import { ACTIVITY_FAILURE_TYPES, type OperationActivities } from '@stratus/workflows';
import { activityContext, type ActivityDependencies, type Streams } from './activity-support';

/**
 * The steps of the operation workflows (rename, reverse DNS, rebuild, resize, backups). What to do is read from the operation in progress on
 * the server's stream, so a retried or repeated step does the same thing; once the operation's end is recorded, a
 * late step does nothing.
 */
export function createOperationActivities(deps: ActivityDependencies, streams: Streams): OperationActivities {
  const { provider, log, secretBox } = deps;
  const clock = deps.clock ?? (() => new Date());
  const pollIntervalMs = deps.pollIntervalMs ?? 2000;
  // ---- backups and firewall (issue 15) ----
  /** Cancellable between polls (the automatic heartbeat keeps the activity alive meanwhile). */
  const pause = () => Context.current().sleep(pollIntervalMs);
  const finalFailure = (message: string) =>
    ApplicationFailure.create({ message, type: ACTIVITY_FAILURE_TYPES.providerFinal, nonRetryable: true });

  /** The operation in progress with this id, or null when it has ended (an earlier run recorded its end). */
  const running = async <K extends VpsOperation['kind']>(
    vpsId: string,
    operationId: string,
    kind: K,
  ): Promise<{ vps: VpsWithOperations; operation: Extract<VpsOperation, { kind: K }> } | null> => {
    const vps = await streams.vps(vpsId);
    if (!holdsOperations(vps) || vps.operation?.operationId !== operationId) return null;
    const operation = vps.operation;
    if (operation.kind !== kind) {
      throw ApplicationFailure.create({
        message: `operation ${operationId} of ${vpsId} is a ${operation.kind}, not a ${kind}`,
        type: ACTIVITY_FAILURE_TYPES.domainRejected,
        nonRetryable: true,
      });
    }
    return { vps, operation: operation as Extract<VpsOperation, { kind: K }> };
  };

  const instanceOf = (vps: VpsWithOperations): string => {
    if (vps.providerInstanceId) return vps.providerInstanceId;
    throw ApplicationFailure.create({
      message: `server ${vps.vpsId} has no instance at the provider`,
      type: ACTIVITY_FAILURE_TYPES.notFound,
      nonRetryable: true,
    });
  };

  return {
    async renameInstance({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'rename');
      if (!found) return { outcome: 'stale' };
      const label = vpsInstanceLabel(vpsId, found.operation.label);
      await provider.updateInstanceLabel(instanceOf(found.vps), label);
      log.info('activities: instance renamed', { vpsId, operationId, label });
      return { outcome: 'done' };
    },

    async setInstanceReverseDns({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'reverse_dns');
      if (!found) return { outcome: 'stale' };
      const { ipv4, hostname } = found.operation;
      await provider.setReverseDns(ipv4, hostname);
      log.info('activities: reverse DNS set', { vpsId, operationId, ipv4, hostname });
      return { outcome: 'done' };
    },

    // ---- rebuild, resize, backups (issue 15) ----

    async rebuildInstance({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'rebuild');
      if (!found) return { outcome: 'stale' };
      const { image, authorizedKeys, encryptedRootPassword } = found.operation;
      await provider.rebuildInstance(instanceOf(found.vps), {
        image,
        rootPassword: secretBox.decrypt(encryptedRootPassword, vpsId),
        authorizedKeys,
      });
      log.info('activities: instance rebuilt', { vpsId, operationId, image, keys: authorizedKeys.length });
      return { outcome: 'done' };
    },

    async resizeInstance({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'resize');
      if (!found) return { outcome: 'stale' };
      const id = instanceOf(found.vps);
      const type = found.operation.providerPlanId;
      // A repeat after a lost answer: the provider already moved it (it refuses a resize to the same type).
      const instance = await provider.getInstance(id);
      if (instance?.type === type) return { outcome: 'done' };
      await provider.resizeInstance(id, type);
      log.info('activities: instance resizing', { vpsId, operationId, type });
      return { outcome: 'done' };
    },

    async setInstanceBackups({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'backups');
      if (!found) return { outcome: 'stale' };
      await provider.setBackups(instanceOf(found.vps), found.operation.enabled);
      log.info('activities: backups set', { vpsId, operationId, enabled: found.operation.enabled });
      return { outcome: 'done' };
    },

    async waitForOperationRunning({ vpsId, operationId, timeoutSeconds }) {
      const context = Context.current();
      const vps = await streams.vps(vpsId);
      if (!holdsOperations(vps) || vps.operation?.operationId !== operationId) return { outcome: 'stale' };
      const id = instanceOf(vps);
      // The deadline survives a retry of this activity (worker killed): it travels in the heartbeat details.
      const previous = context.info.heartbeatDetails as { deadline?: number } | undefined;
      const deadline = previous?.deadline ?? clock().getTime() + timeoutSeconds * 1000;
      let lastStatus = 'unknown';
      for (;;) {
        context.heartbeat({ deadline });
        const instance = await provider.getInstance(id);
        if (!instance) {
          throw ApplicationFailure.create({
            message: `instance ${id} of ${vpsId} disappeared at the provider`,
            type: ACTIVITY_FAILURE_TYPES.notFound,
            nonRetryable: true,
          });
        }
        lastStatus = instance.status;
        if (instance.status === 'running') return { outcome: 'running' };
        if (clock().getTime() >= deadline) return { outcome: 'timeout', lastStatus };
        await context.sleep(Math.min(pollIntervalMs, Math.max(1, deadline - clock().getTime())));
      }
    },

    async resetConsoleHostKey({ vpsId, operationId }) {
      await streams.executor.execute({
        streamId: streamIds.console(vpsId),
        decider: consoleDecider,
        context: activityContext(),
        command: (_state, metadata) => ({
          type: 'ResetConsoleHostKey' as const,
          data: { vpsId, operationId },
          metadata,
        }),
        idempotencyKey: `console:${vpsId}:host-key-reset:${operationId}`,
      });
      log.info('activities: console host key reset', { vpsId, operationId });
    },

    // ---- backups and firewall (issue 15) ----

    async takeSnapshot({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'snapshot');
      if (!found) return { outcome: 'stale' };
      const instanceId = instanceOf(found.vps);
      const { label } = found.operation;
      // A retried request (its answer lost) may have started it: the one in progress or done since the request.
      const since = Date.parse(found.operation.requestedAt) - 1000;
      const { snapshot } = await provider.listBackups(instanceId);
      const already = [snapshot.inProgress, snapshot.current].find(
        (backup) => backup !== null && backup.label === label && Date.parse(backup.created) >= since,
      );
      const backup = already ?? (await provider.createSnapshot(instanceId, label));
      log.info('activities: snapshot started', { vpsId, operationId, backupId: backup.id, again: !!already });
      return { outcome: 'done', backupId: backup.id };
    },

    async awaitSnapshot({ vpsId, operationId, backupId }) {
      for (;;) {
        const found = await running(vpsId, operationId, 'snapshot');
        if (!found) return { outcome: 'stale' };
        const { snapshot } = await provider.listBackups(instanceOf(found.vps));
        const backup = [snapshot.current, snapshot.inProgress].find(
          (candidate) => candidate?.id === backupId,
        );
        if (backup?.status === 'successful') return { outcome: 'done' };
        if (backup && (backup.status === 'failed' || backup.status === 'userAborted')) {
          throw finalFailure(`the provider's snapshot ${backupId} ended ${backup.status}`);
        }
        if (!backup) throw finalFailure(`the provider no longer lists snapshot ${backupId}`);
        await pause();
      }
    },

    async restoreInstanceBackup({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'restore');
      if (!found) return { outcome: 'stale' };
      const instanceId = instanceOf(found.vps);
      // A retried request (its answer lost) may have started it: the instance is restoring then.
      const instance = await provider.getInstance(instanceId);
      if (instance?.status === 'restoring') return { outcome: 'done' };
      await provider.restoreBackup(instanceId, found.operation.backupId);
      log.info('activities: restore started', { vpsId, operationId, backupId: found.operation.backupId });
      return { outcome: 'done' };
    },

    async awaitRestoredRunning({ vpsId, operationId }) {
      let booted = false;
      for (;;) {
        const found = await running(vpsId, operationId, 'restore');
        if (!found) return { outcome: 'stale' };
        const instanceId = instanceOf(found.vps);
        const instance = await provider.getInstance(instanceId);
        if (!instance) throw finalFailure(`the instance ${instanceId} is gone`);
        if (instance.status === 'running') return { outcome: 'done' };
        // Linode leaves a restored instance off: boot it once (again after a retry of this activity).
        if (instance.status === 'offline' && !booted) {
          await provider.boot(instanceId);
          booted = true;
        }
        await pause();
      }
    },

    async bootAfterFailedRestore({ vpsId }) {
      const vps = await streams.vps(vpsId);
      if (!holdsOperations(vps) || !vps.providerInstanceId) return;
      const instance = await provider.getInstance(vps.providerInstanceId);
      if (instance?.status === 'offline') {
        await provider.boot(vps.providerInstanceId);
        log.warn('activities: instance booted after a failed restore', { vpsId });
      }
    },

    async applyServerFirewall({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'firewall');
      if (!found) return { outcome: 'stale' };
      const instanceId = instanceOf(found.vps);
      const label = vpsFirewallLabel(vpsId);
      const { rules } = found.operation;
      const existing = await provider.findFirewallByLabel(label);
      if (existing) {
        await provider.setFirewallRules(existing.id, rules);
        // Behind it again if a compensation took the server away from it.
        await provider.attachFirewallInstance(existing.id, instanceId);
      } else {
        await provider.createFirewall({
          label,
          tags: vpsInstanceTags(vpsId),
          rules,
          instanceIds: [instanceId],
        });
      }
      log.info('activities: firewall rules set', { vpsId, operationId, created: !existing });
      return { outcome: 'done' };
    },

    async leavePlatformFirewall({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'firewall');
      if (!found) return { outcome: 'stale' };
      const platform = await provider.findFirewallByLabel(PLATFORM_FIREWALL_LABEL);
      if (platform) await provider.detachFirewallInstance(platform.id, instanceOf(found.vps));
      return { outcome: 'done' };
    },

    async undoServerFirewall({ vpsId, operationId }) {
      const found = await running(vpsId, operationId, 'firewall');
      if (!found || found.operation.previous !== null) return;
      const own = await provider.findFirewallByLabel(vpsFirewallLabel(vpsId));
      if (own) await provider.detachFirewallInstance(own.id, instanceOf(found.vps));
      log.warn('activities: firewall change undone (the default stays in effect)', { vpsId, operationId });
    },

    async completeOperation({ vpsId, operationId }) {
      const { state } = await streams.vpsCommand(vpsId, `operation-completed:${operationId}`, () => ({
        type: 'CompleteOperation',
        data: { operationId },
      }));
      // A resize or backups toggle changed the price: the wallet's burn (what later creates must cover) follows.
      // Checked on every completion (and on a retried one, which records nothing above): equal prices record nothing.
      if (state.status === 'active' || state.status === 'suspended') {
        await streams.repriceBurn(state.organizationId, vpsId, state.hourlyPrice);
      }
    },

    async failOperation({ vpsId, operationId, reason }) {
      await streams.vpsCommand(vpsId, `operation-failed:${operationId}`, () => ({
        type: 'FailOperation',
        data: { operationId, reason: reason.slice(0, MAX_VPS_REASON_LENGTH) },
      }));
      log.warn('activities: operation failed', { vpsId, operationId, reason });
    },
  };
}
