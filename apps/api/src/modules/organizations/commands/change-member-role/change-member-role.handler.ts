import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateRepository } from '../../../../shared/event-sourcing/aggregate-repository';
import { runOrganizationCommand } from '../../shared/organization-command';
import { ChangeMemberRoleCommand } from './change-member-role.command';

@CommandHandler(ChangeMemberRoleCommand)
export class ChangeMemberRoleHandler implements ICommandHandler<ChangeMemberRoleCommand> {
  constructor(private readonly repository: AggregateRepository) {}

  async execute(command: ChangeMemberRoleCommand) {
    const { position } = await runOrganizationCommand(
      this.repository,
      command.organizationId,
      command.context,
      'ChangeMemberRole',
      { userId: command.userId, role: command.role },
    );
    return { organizationId: command.organizationId, userId: command.userId, role: command.role, position };
  }
}
