import { Command } from '@nestjs/cqrs';
import type { RoleId } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export class ChangeMemberRoleCommand extends Command<{
  organizationId: string;
  userId: string;
  role: RoleId;
  position: Position | null;
}> {
  constructor(
    readonly organizationId: string,
    readonly userId: string,
    readonly role: RoleId,
    readonly context: CommandContext,
  ) {
    super();
  }
}
