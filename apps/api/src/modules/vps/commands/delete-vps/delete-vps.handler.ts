import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { requireOrganizationVps, vpsIdFrom } from '../../shared/vps-stream';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import { DeleteVpsCommand, type DeleteVpsResult } from './delete-vps.command';

/**
 * Records the deletion request, then tells the workflow that owns the server: the billing workflow once it
 * was activated (final prorated charge, delete at the provider), else the provisioning workflow (compensate).
 * A retry after Temporal was unreachable records nothing new (the decider's rule) and signals again.
 */
@CommandHandler(DeleteVpsCommand)
export class DeleteVpsHandler implements ICommandHandler<DeleteVpsCommand, DeleteVpsResult> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly workflows: TemporalWorkflows,
  ) {}

  async execute(command: DeleteVpsCommand): Promise<DeleteVpsResult> {
    const vpsId = vpsIdFrom(command.vpsId);
    const result = await this.executor.execute({
      streamId: streams.vps(vpsId),
      decider: vpsDecider,
      context: command.context,
      command: (state, metadata) => {
        requireOrganizationVps(state, command.organizationId);
        return { type: 'RequestDeletion' as const, data: {}, metadata };
      },
    });
    const server = result.state;
    if (server.status === 'deleting') {
      await this.workflows.signalDeletion(vpsId, this.clock.now().toISOString());
    } else if (server.status === 'cancelling') {
      await this.workflows.abortProvisioning(
        this.workflows.provisioningInput(vpsId, command.organizationId),
        'deleted by the customer',
      );
    }
    // Deleted, or failed (compensated) after an earlier request: no workflow is left to tell.
    return { vpsId, position: result.position };
  }
}
