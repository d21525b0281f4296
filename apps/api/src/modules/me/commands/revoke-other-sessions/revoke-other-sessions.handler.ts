import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { SessionChecker } from '../../../../shared/auth/session-checker.service';
import type { SessionsRevoked } from '../revoke-session/revoke-session.command';
import { revokedIn } from '../revoke-session/revoke-session.handler';
import { RevokeOtherSessionsCommand } from './revoke-other-sessions.command';

@CommandHandler(RevokeOtherSessionsCommand)
export class RevokeOtherSessionsHandler implements ICommandHandler<
  RevokeOtherSessionsCommand,
  SessionsRevoked
> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly sessions: SessionChecker,
  ) {}

  async execute({ userId, keepSessionId, context }: RevokeOtherSessionsCommand): Promise<SessionsRevoked> {
    const result = await this.executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'RevokeOtherSessions' as const,
        data: { keepSessionId },
        metadata,
      }),
    });
    const revokedSessionIds = revokedIn(result.events);
    await this.sessions.revoked(userId, revokedSessionIds, result.position);
    return { revokedSessionIds, position: result.position };
  }
}
