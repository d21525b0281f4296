import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { SessionsRevoked } from '../revoke-session/revoke-session.command';

/** Ends every session of the user but `keepSessionId` (the one asking). */
export class RevokeOtherSessionsCommand extends Command<SessionsRevoked> {
  constructor(
    readonly userId: string,
    readonly keepSessionId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
