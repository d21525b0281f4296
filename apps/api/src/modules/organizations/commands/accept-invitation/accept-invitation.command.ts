import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface InvitationAnswered {
  invitationId: string;
  organizationId: string;
  organizationName: string;
  answer: 'accepted';
  position: Position | null;
}

/** By the signed-in user the invitation was sent to (the token is the invitation's authority, their address the proof). */
export class AcceptInvitationCommand extends Command<InvitationAnswered> {
  constructor(
    readonly token: string,
    readonly userId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
