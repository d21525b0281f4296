import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import { CommandExecutor, type EventStore } from '@stratus/eventstore';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { loadPlan } from '../../../catalog/shared/plan-pricing';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { requireOrganizationVps, vpsIdFrom } from '../../shared/vps-stream';
import { SetVpsBackupsCommand } from './set-vps-backups.command';

/**
 * Backups on or off: the server's plan's upcharge now (from its stream) is what enabling adds; the decider
 * removes what the server pays when disabling. serverBackupsWorkflow sets it at the provider; the new price
 * applies from the next billing period.
 */
@CommandHandler(SetVpsBackupsCommand)
export class SetVpsBackupsHandler implements ICommandHandler<SetVpsBackupsCommand, StartedOperation> {
  constructor(
    private readonly operations: VpsOperationStarter,
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async execute(command: SetVpsBackupsCommand): Promise<StartedOperation> {
    const vpsId = vpsIdFrom(command.vpsId);
    const { state } = await this.executor.load(streams.vps(vpsId), vpsDecider);
    const vps = requireOrganizationVps(state, command.organizationId);
    // A plan since deleted from the catalog: nothing to add (the server's recorded upcharge still comes off).
    const plan = await loadPlan(this.eventStore, vps.planId);
    return this.operations.start(
      command.organizationId,
      vpsId,
      {
        type: 'RequestBackups',
        data: { enabled: command.enabled, planBackupUpcharge: plan?.backupUpcharge ?? 0n },
      },
      command.context,
    );
  }
}
