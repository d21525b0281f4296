import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider, type CloudProvider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../../../../shared/errors/api-error';
import { CLOUD_PROVIDER } from '../../../../shared/provider/cloud-provider.module';
import { mapProviderError } from '../../shared/provider-errors';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { requireOrganizationVps, vpsIdFrom } from '../../shared/vps-stream';
import { RestoreBackupCommand } from './restore-backup.command';

const backupNotFound = () => new ApiError(404, 'backup_not_found', 'This server has no such backup');

/**
 * Restore one of the server's backups over it. The backup must be one the provider lists for this server (another
 * server's id, or an unknown one, is a 404, before anything is recorded); the decider then checks the server
 * (active, backups enabled, no other operation) and restoreServerWorkflow carries it out.
 */
@CommandHandler(RestoreBackupCommand)
export class RestoreBackupHandler implements ICommandHandler<RestoreBackupCommand, StartedOperation> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly operations: VpsOperationStarter,
    @Inject(CLOUD_PROVIDER) private readonly provider: CloudProvider,
  ) {}

  async execute(command: RestoreBackupCommand): Promise<StartedOperation> {
    const vpsId = vpsIdFrom(command.vpsId);
    if (!/^[0-9]{1,15}$/.test(command.backupId)) throw backupNotFound();
    const { state } = await this.executor.load(streams.vps(vpsId), vpsDecider);
    const server = requireOrganizationVps(state, command.organizationId);
    // Only an active server with backups has any to restore; the decider gives the precise refusal otherwise.
    if (server.status === 'active' && server.backups) {
      let backups;
      try {
        backups = await this.provider.listBackups(server.providerInstanceId);
      } catch (error) {
        throw mapProviderError(error, 'list the backups of');
      }
      const ids = [...backups.automatic, backups.snapshot.current]
        .filter((backup) => backup !== null)
        .map((backup) => backup.id);
      if (!ids.includes(command.backupId)) throw backupNotFound();
    }
    return this.operations.start(
      command.organizationId,
      vpsId,
      { type: 'RequestRestore', data: { backupId: command.backupId } },
      command.context,
    );
  }
}
