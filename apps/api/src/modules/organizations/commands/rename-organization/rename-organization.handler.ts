import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../../../shared/event-sourcing/aggregate-repository';
import { runOrganizationCommand } from '../../shared/organization-command';
import { RenameOrganizationCommand } from './rename-organization.command';

@CommandHandler(RenameOrganizationCommand)
export class RenameOrganizationHandler implements ICommandHandler<RenameOrganizationCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: RenameOrganizationCommand) {
    const { state, position } = await runOrganizationCommand(
      this.repository,
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
