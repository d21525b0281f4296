import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  consoleDecider,
  holdsOperations,
  streams as streamIds,
  MAX_VPS_REASON_LENGTH,
  vpsInstanceLabel,
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

    async completeOperation({ vpsId, operationId }) {
      await streams.vpsCommand(vpsId, `operation-completed:${operationId}`, () => ({
        type: 'CompleteOperation',
        data: { operationId },
      }));
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
