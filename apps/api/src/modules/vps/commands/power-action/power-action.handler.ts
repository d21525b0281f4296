import { Inject, Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { MAX_VPS_REASON_LENGTH, streams, vpsDecider, type CloudProvider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { CLOUD_PROVIDER } from '../../../../shared/provider/cloud-provider.module';
import { mapProviderError } from '../../shared/provider-errors';
import { requireOrganizationVps, vpsIdFrom } from '../../shared/vps-stream';
import { PowerActionCommand, type PowerActionResult } from './power-action.command';

@CommandHandler(PowerActionCommand)
export class PowerActionHandler implements ICommandHandler<PowerActionCommand, PowerActionResult> {
  private readonly logger = new Logger('PowerAction');

  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOUD_PROVIDER) private readonly provider: CloudProvider,
  ) {}

  async execute(command: PowerActionCommand): Promise<PowerActionResult> {
    const vpsId = vpsIdFrom(command.vpsId);
    // The decider refuses what the server's state does not allow (not active, suspended, deleting...).
    const result = await this.executor.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: command.context,
      command: (state, metadata) => {
        requireOrganizationVps(state, command.organizationId);
        return { type: 'RequestPowerAction' as const, data: { action: command.action }, metadata };
      },
    });
    const server = result.state;
    // Only an active server takes a power action, and an active server has its instance.
    if (server.status !== 'active') throw new Error(`power action recorded on a ${server.status} server`);
    const instanceId = server.providerInstanceId;
    try {
      if (command.action === 'boot') await this.provider.boot(instanceId);
      else if (command.action === 'shutdown') await this.provider.shutdown(instanceId);
      else await this.provider.reboot(instanceId);
    } catch (error) {
      await this.recordFailure(vpsId, result.events[0]?.id, command, error);
      throw mapProviderError(error, command.action);
    }
    return { vpsId, action: command.action, position: result.position };
  }

  /**
   * VpsPowerActionFailed on the server's stream, one per request (its id derives from the request's), so the
   * history shows the action did not happen. The provider's error is what the caller gets, even if this fails.
   */
  private async recordFailure(
    vpsId: string,
    requestEventId: string | undefined,
    command: PowerActionCommand,
    error: unknown,
  ): Promise<void> {
    const reason = (error instanceof Error ? error.message : String(error)).trim() || 'provider error';
    try {
      await this.executor.execute({
        streamId: streams.vps(vpsId),
        decider: vpsDecider,
        context: command.context,
        ...(requestEventId ? { idempotencyKey: `vps-power-action-failed:${requestEventId}` } : {}),
        command: (_state, metadata) => ({
          type: 'RecordPowerActionFailed' as const,
          data: { action: command.action, reason: reason.slice(0, MAX_VPS_REASON_LENGTH) },
          metadata,
        }),
      });
    } catch (recordError) {
      this.logger.warn(`power action failure of ${vpsId} not recorded: ${String(recordError)}`);
    }
  }
}
