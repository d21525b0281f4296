import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { RoleChanged } from '../create-role/create-role.command';

export class UpdateRoleCommand extends Command<RoleChanged> {
  constructor(
    readonly organizationId: string,
    readonly roleId: string,
    readonly change: { name?: string; permissions?: string[] },
    readonly context: CommandContext,
  ) {
    super();
  }
}
