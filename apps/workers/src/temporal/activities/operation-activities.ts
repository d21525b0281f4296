import { ApplicationFailure } from '@temporalio/activity';
import {
  holdsOperations,
  MAX_VPS_REASON_LENGTH,
  vpsInstanceLabel,
  type VpsOperation,
  type VpsWithOperations,
} from '@stratus/domain';
import { ACTIVITY_FAILURE_TYPES, type OperationActivities } from '@stratus/workflows';
import type { ActivityDependencies, Streams } from './activity-support';

/**
 * The steps of the operation workflows (rename, reverse DNS). What to do is read from the operation in progress on
 * the server's stream, so a retried or repeated step does the same thing; once the operation's end is recorded, a
 * late step does nothing.
 */
export function createOperationActivities(deps: ActivityDependencies, streams: Streams): OperationActivities {
  const { provider, log } = deps;

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
