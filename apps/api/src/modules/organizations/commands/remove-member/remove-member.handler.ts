import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { runOrganizationCommand } from '../../shared/organization-command';
import { RemoveMemberCommand } from './remove-member.command';

@CommandHandler(RemoveMemberCommand)
export class RemoveMemberHandler implements ICommandHandler<RemoveMemberCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: RemoveMemberCommand) {
    // The domain decides: leaving needs no permission, removing someone else needs members_manage,
    // and the last owner can do neither.
    const { position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'RemoveMember',
      { userId: command.userId },
    );
    return { organizationId: command.organizationId, userId: command.userId, role: null, position };
  }
}
