import { Inject, Injectable } from '@nestjs/common';
import { streams, TWO_FACTOR_CHALLENGE_TTL_SECONDS, userDecider, type UserEvent } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { v4 as uuidv4 } from 'uuid';
import { CLOCK, type Clock } from '../../shared/event-sourcing/tokens';
import type { CommandContext } from '../../shared/request-context/command-context';
import { MfaTokens } from './mfa-tokens.service';

/** The second step of a password sign-in, for users with 2FA on. */
@Injectable()
export class MfaChallenges {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly tokens: MfaTokens,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /**
   * After a correct password: when the user has 2FA on, records a sign-in awaiting its second factor and
   * returns the mfaToken naming it; null when 2FA is off (the password alone signs in).
   */
  async startIfEnabled(
    user: { userId: string; platformRole: string },
    context: CommandContext,
  ): Promise<string | null> {
    const challengeId = uuidv4();
    context.actingAs(user.userId, user.platformRole);
    const result = await this.executor.execute({
      streamId: streams.user(user.userId),
      decider: userDecider,
      context,
      command: (state, metadata) =>
        state.status === 'registered' && state.twoFactor.status === 'enabled'
          ? {
              type: 'StartTwoFactorChallenge' as const,
              data: {
                challengeId,
                expiresAt: new Date(
                  Date.parse(metadata.now) + TWO_FACTOR_CHALLENGE_TTL_SECONDS * 1000,
                ).toISOString(),
              },
              metadata,
            }
          : null,
    });
    const started = result.events.find(
      (event): event is Extract<UserEvent, { type: 'TwoFactorChallengeStarted' }> & { id: string } =>
        event.type === 'TwoFactorChallengeStarted',
    );
    if (!started) return null;
    return this.tokens.issue(user.userId, challengeId, started.data.expiresAt, this.clock.now().getTime());
  }
}
