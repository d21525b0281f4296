import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { TakeSnapshotCommand } from './take-snapshot.command';

/**
 * A manual snapshot: the decider refuses it unless the server's backups are enabled (the provider would too);
 * snapshotServerWorkflow asks the provider for it and waits until it has succeeded.
 */
@CommandHandler(TakeSnapshotCommand)
export class TakeSnapshotHandler implements ICommandHandler<TakeSnapshotCommand, StartedOperation> {
  constructor(private readonly operations: VpsOperationStarter) {}

  execute(command: TakeSnapshotCommand): Promise<StartedOperation> {
    return this.operations.start(
      command.organizationId,
      command.vpsId,
      { type: 'RequestSnapshot', data: { label: command.label } },
      command.context,
    );
  }
}
