import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor } from '@stratus/eventstore';
import { customRoleView } from '../../shared/role-command';
import { runOrganizationCommand } from '../../shared/organization-command';
import type { RoleChanged } from '../create-role/create-role.command';
import { UpdateRoleCommand } from './update-role.command';

@CommandHandler(UpdateRoleCommand)
export class UpdateRoleHandler implements ICommandHandler<UpdateRoleCommand> {
  constructor(private readonly executor: CommandExecutor) {}

  async execute(command: UpdateRoleCommand): Promise<RoleChanged> {
    const { state, position } = await runOrganizationCommand(
      this.executor,
      command.organizationId,
      command.context,
      'UpdateCustomRole',
      { roleId: command.roleId, ...command.change },
    );
    return { role: customRoleView(state, command.roleId), position };
  }
}
