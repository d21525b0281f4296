import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { runOrganizationCommand } from '../../shared/organization-command';
import { RenameOrganizationCommand } from './rename-organization.command';

@CommandHandler(RenameOrganizationCommand)
export class RenameOrganizationHandler implements ICommandHandler<RenameOrganizationCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: RenameOrganizationCommand) {
    const { state, position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'RenameOrganization',
      { name: command.name },
    );
    return {
      organizationId: command.organizationId,
      name: state.status === 'active' ? state.name : command.name,
      position,
    };
  }
}
