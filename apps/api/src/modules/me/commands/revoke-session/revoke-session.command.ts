import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface SessionsRevoked {
  revokedSessionIds: string[];
  position: Position | null;
}

/** Ends one of the user's sessions (their own: another user's session is not found). */
export class RevokeSessionCommand extends Command<SessionsRevoked> {
  constructor(
    readonly userId: string,
    readonly sessionId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
