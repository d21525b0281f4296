import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { RenameVpsCommand } from './rename-vps.command';

/** Rename: the label is checked as on creation; the provider's label follows in renameServerWorkflow. */
@CommandHandler(RenameVpsCommand)
export class RenameVpsHandler implements ICommandHandler<RenameVpsCommand, StartedOperation> {
  constructor(private readonly operations: VpsOperationStarter) {}

  execute(command: RenameVpsCommand): Promise<StartedOperation> {
    return this.operations.start(
      command.organizationId,
      command.vpsId,
      { type: 'RequestRename', data: { label: command.label } },
      command.context,
    );
  }
}
