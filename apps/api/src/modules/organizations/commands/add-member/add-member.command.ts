import { Command } from '@nestjs/cqrs';
import type { OrganizationRole } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export class AddMemberCommand extends Command<{
  organizationId: string;
  userId: string;
  role: OrganizationRole;
  position: Position | null;
}> {
  constructor(
    readonly organizationId: string,
    readonly email: string,
    readonly role: OrganizationRole,
    readonly context: CommandContext,
  ) {
    super();
  }
}
