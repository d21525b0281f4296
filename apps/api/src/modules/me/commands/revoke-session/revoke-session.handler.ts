import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { SessionChecker } from '../../../../shared/auth/session-checker.service';
import { RevokeSessionCommand, type SessionsRevoked } from './revoke-session.command';

@CommandHandler(RevokeSessionCommand)
export class RevokeSessionHandler implements ICommandHandler<RevokeSessionCommand, SessionsRevoked> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly sessions: SessionChecker,
  ) {}

  async execute({ userId, sessionId, context }: RevokeSessionCommand): Promise<SessionsRevoked> {
    const result = await this.executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({ type: 'RevokeSession' as const, data: { sessionId }, metadata }),
    });
    const revokedSessionIds = revokedIn(result.events);
    await this.sessions.revoked(userId, revokedSessionIds, result.position);
    return { revokedSessionIds, position: result.position };
  }
}

/** The session ids a user-stream command revoked. */
export function revokedIn(events: readonly { type: string; data: unknown }[]): string[] {
  return events.flatMap((event) =>
    event.type === 'SessionRevoked' ? [(event.data as { sessionId: string }).sessionId] : [],
  );
}
