import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { RoleDto } from '../../shared/role.dto';

export interface RoleChanged {
  role: RoleDto | null;
  position: Position | null;
}

export class CreateRoleCommand extends Command<RoleChanged> {
  constructor(
    readonly organizationId: string,
    readonly name: string,
    readonly permissions: string[],
    readonly context: CommandContext,
  ) {
    super();
  }
}
