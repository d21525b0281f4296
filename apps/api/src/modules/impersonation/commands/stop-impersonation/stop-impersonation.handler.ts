import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { SessionChecker } from '../../../../shared/auth/session-checker.service';
import type { SessionsRevoked } from '../../../me/commands/revoke-session/revoke-session.command';
import { revokedIn } from '../../../me/commands/revoke-session/revoke-session.handler';
import { StopImpersonationCommand } from './stop-impersonation.command';

@CommandHandler(StopImpersonationCommand)
export class StopImpersonationHandler implements ICommandHandler<StopImpersonationCommand, SessionsRevoked> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly sessions: SessionChecker,
  ) {}

  async execute({ userId, sessionId, context }: StopImpersonationCommand): Promise<SessionsRevoked> {
    const result = await this.executor.execute({
      streamId: streams.user(userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({ type: 'EndImpersonation' as const, data: { sessionId }, metadata }),
    });
    const revokedSessionIds = revokedIn(result.events);
    await this.sessions.revoked(userId, revokedSessionIds, result.position);
    return { revokedSessionIds, position: result.position };
  }
}
