import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { runOrganizationCommand } from '../../shared/organization-command';
import type { RoleChanged } from '../create-role/create-role.command';
import { DeleteRoleCommand } from './delete-role.command';

@CommandHandler(DeleteRoleCommand)
export class DeleteRoleHandler implements ICommandHandler<DeleteRoleCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: DeleteRoleCommand): Promise<RoleChanged> {
    const { position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'DeleteCustomRole',
      { roleId: command.roleId },
    );
    return { role: null, position };
  }
}
