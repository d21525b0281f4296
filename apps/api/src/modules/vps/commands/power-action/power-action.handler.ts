import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider, type CloudProvider } from '@stratus/domain';
import type { EventStore } from '@stratus/eventstore';
import { AggregateRepository } from '../../../../shared/event-sourcing/aggregate-repository';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { ApiError } from '../../../../shared/errors/api-error';
import { CLOUD_PROVIDER } from '../../../catalog/shared/catalog.tokens';
import { mapProviderError } from '../../shared/provider-errors';
import { loadVpsStream } from '../../shared/vps-stream';
import { PowerActionCommand, type PowerActionResult } from './power-action.command';

@CommandHandler(PowerActionCommand)
export class PowerActionHandler implements ICommandHandler<PowerActionCommand, PowerActionResult> {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOUD_PROVIDER) private readonly provider: CloudProvider,
  ) {}

  async execute(command: PowerActionCommand): Promise<PowerActionResult> {
    const { vpsId } = await loadVpsStream(this.eventStore, command.organizationId, command.vpsId);
    // The decider refuses what the server's state does not allow (not active, suspended, deleting...).
    const result = await this.repository.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'RequestPowerAction' as const,
        data: { action: command.action },
        metadata,
      }),
    });
    const { server } = await loadVpsStream(this.eventStore, command.organizationId, vpsId);
    if (!server.providerInstanceId) {
      throw new ApiError(409, 'vps_not_ready', 'The server has no instance at the provider yet', { vpsId });
    }
    const instanceId = server.providerInstanceId;
    try {
      if (command.action === 'boot') await this.provider.boot(instanceId);
      else if (command.action === 'shutdown') await this.provider.shutdown(instanceId);
      else await this.provider.reboot(instanceId);
    } catch (error) {
      throw mapProviderError(error, command.action);
    }
    return { vpsId, action: command.action, position: result.position };
  }
}
