import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import type { EventStore } from '@stratus/eventstore';
import { AggregateRepository } from '../../../../shared/event-sourcing/aggregate-repository';
import { CLOCK, EVENT_STORE, type Clock } from '../../../../shared/event-sourcing/tokens';
import { loadVpsStream } from '../../shared/vps-stream';
import { VpsWorkflows } from '../../shared/workflow-starter.service';
import { DeleteVpsCommand, type DeleteVpsResult } from './delete-vps.command';

/**
 * Records the deletion request, then tells the workflow that owns the server: the billing workflow once it
 * was activated (final prorated charge, delete at the provider), else the provisioning workflow (compensate).
 * A retry after Temporal was unreachable records nothing new and signals again.
 */
@CommandHandler(DeleteVpsCommand)
export class DeleteVpsHandler implements ICommandHandler<DeleteVpsCommand, DeleteVpsResult> {
  constructor(
    private readonly repository: AggregateRepository,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly workflows: VpsWorkflows,
  ) {}

  async execute(command: DeleteVpsCommand): Promise<DeleteVpsResult> {
    const before = await loadVpsStream(this.eventStore, command.organizationId, command.vpsId);
    const { vpsId } = before;
    const alreadyRequested = before.events.some((e) => e.type === 'VpsDeletionRequested');
    let position = before.events.at(-1)?.position ?? null;
    if (!alreadyRequested) {
      const result = await this.repository.execute({
        streamId: streams.vps(vpsId),
        decider: vpsDecider,
        context: command.context,
        command: (_state, metadata) => ({ type: 'RequestDeletion' as const, data: {}, metadata }),
      });
      position = result.position;
    }
    const after = await loadVpsStream(this.eventStore, command.organizationId, vpsId);
    if (after.server.status !== 'deleted' && after.server.status !== 'failed') {
      if (after.activated) await this.workflows.signalDeletion(vpsId, this.clock.now().toISOString());
      else
        await this.workflows.abortProvisioning(
          this.workflows.provisioningInput(vpsId, command.organizationId),
          'deleted by the customer',
        );
    }
    return { vpsId, position };
  }
}
