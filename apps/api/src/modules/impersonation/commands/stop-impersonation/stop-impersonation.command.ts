import { Command } from '@nestjs/cqrs';
import type { SessionsRevoked } from '../../../me/commands/revoke-session/revoke-session.command';
import type { CommandContext } from '../../../../shared/request-context/command-context';

/** Ends the impersonation session `sessionId` of `userId` (ImpersonationEnded, then the session is revoked). */
export class StopImpersonationCommand extends Command<SessionsRevoked> {
  constructor(
    readonly userId: string,
    readonly sessionId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
