import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ApiError } from '../../../../shared/errors/api-error';
import { CommandExecutor } from '@stratus/eventstore';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { runOrganizationCommand } from '../../shared/organization-command';
import { AddMemberCommand } from './add-member.command';

@CommandHandler(AddMemberCommand)
export class AddMemberHandler implements ICommandHandler<AddMemberCommand> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly users: UserDirectory,
  ) {}

  async execute(command: AddMemberCommand) {
    const user = await this.users.findByEmail(command.email);
    if (!user)
      throw new ApiError(404, 'user_not_found', 'No user is registered with this email', { field: 'email' });
    const { position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'AddMember',
      {
        userId: user.userId,
        role: command.role,
      },
    );
    return { organizationId: command.organizationId, userId: user.userId, role: command.role, position };
  }
}
