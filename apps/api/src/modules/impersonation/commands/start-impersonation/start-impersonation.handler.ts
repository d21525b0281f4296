import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { IMPERSONATION_MAX_SECONDS, streams, userDecider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { v4 as uuidv4 } from 'uuid';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { TokenService } from '../../../../shared/auth/token.service';
import { API_CONFIG, type ApiConfig } from '../../../../shared/config/api-config';
import { ApiError } from '../../../../shared/errors/api-error';
import { StartImpersonationCommand, type StartedImpersonation } from './start-impersonation.command';

@CommandHandler(StartImpersonationCommand)
export class StartImpersonationHandler implements ICommandHandler<
  StartImpersonationCommand,
  StartedImpersonation
> {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly tokens: TokenService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
  ) {}

  async execute({ userId, reason, context }: StartImpersonationCommand): Promise<StartedImpersonation> {
    if (!isUuid(userId)) throw new ApiError(404, 'user_not_found', 'User not found');
    const sessionId = uuidv4();
    // The session and its token end together: an hour at most, sooner when session tokens live shorter.
    const lifetimeSeconds = Math.min(IMPERSONATION_MAX_SECONDS, this.config.jwt.ttlSeconds);
    const result = await this.executor.execute({
      streamId: streams.user(userId.toLowerCase()),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'StartImpersonation' as const,
        data: {
          sessionId,
          reason,
          expiresAt: new Date(Date.parse(metadata.now) + lifetimeSeconds * 1000).toISOString(),
        },
        metadata,
      }),
    });
    const { state } = result;
    const started =
      state.status === 'registered' ? state.impersonations.find((i) => i.sessionId === sessionId) : undefined;
    if (state.status !== 'registered' || !started) throw new Error('The impersonation was not recorded');
    const user = {
      userId: state.userId,
      email: state.email,
      name: state.name,
      platformRole: state.platformRole,
    };
    return {
      token: this.tokens.issue(user, sessionId, { impersonatorId: context.actor.userId, lifetimeSeconds }),
      sessionId,
      expiresAt: new Date(started.expiresAt),
      user,
      position: result.position,
    };
  }
}
