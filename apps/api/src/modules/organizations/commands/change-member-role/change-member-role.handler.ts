import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { runOrganizationCommand } from '../../shared/organization-command';
import { ChangeMemberRoleCommand } from './change-member-role.command';

@CommandHandler(ChangeMemberRoleCommand)
export class ChangeMemberRoleHandler implements ICommandHandler<ChangeMemberRoleCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: ChangeMemberRoleCommand) {
    const { position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'ChangeMemberRole',
      { userId: command.userId, role: command.role },
    );
    return { organizationId: command.organizationId, userId: command.userId, role: command.role, position };
  }
}
