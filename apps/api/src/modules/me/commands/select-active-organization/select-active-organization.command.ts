import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export class SelectActiveOrganizationCommand extends Command<{
  activeOrganizationId: string;
  position: Position | null;
}> {
  constructor(
    readonly userId: string,
    readonly organizationId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
