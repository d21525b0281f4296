import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export class RevokeInvitationCommand extends Command<{ invitationId: string; position: Position | null }> {
  constructor(
    readonly organizationId: string,
    readonly invitationId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
