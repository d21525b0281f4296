import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { randomUUID } from 'node:crypto';
import { customRoleView } from '../../shared/role-command';
import { runOrganizationCommand } from '../../shared/organization-command';
import { CreateRoleCommand, type RoleChanged } from './create-role.command';

@CommandHandler(CreateRoleCommand)
export class CreateRoleHandler implements ICommandHandler<CreateRoleCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: CreateRoleCommand): Promise<RoleChanged> {
    const roleId = randomUUID();
    const { state, position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'CreateCustomRole',
      { roleId, name: command.name, permissions: command.permissions },
    );
    return { role: customRoleView(state, roleId), position };
  }
}
