import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export class RenameOrganizationCommand extends Command<{
  organizationId: string;
  name: string;
  position: Position | null;
}> {
  constructor(
    readonly organizationId: string,
    readonly name: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
