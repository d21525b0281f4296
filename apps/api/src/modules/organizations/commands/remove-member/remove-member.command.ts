import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

/** Removal by a members_manage holder, or the member leaving (userId = the actor). */
export class RemoveMemberCommand extends Command<{
  organizationId: string;
  userId: string;
  role: null;
  position: Position | null;
}> {
  constructor(
    readonly organizationId: string,
    readonly userId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
