import { Injectable } from '@nestjs/common';
import { streams, userDecider } from '@stratus/domain';
import { CommandExecutor, type Position } from '@stratus/eventstore';
import { v4 as uuidv4 } from 'uuid';
import { TokenService } from '../../../shared/auth/token.service';
import type { CommandContext } from '../../../shared/request-context/command-context';

export interface SessionUser {
  userId: string;
  email: string;
  platformRole: 'admin' | 'customer';
}

export interface StartedSession {
  /** The session token (HS256 JWT) whose `sid` is `sessionId`. */
  token: string;
  sessionId: string;
  /** Position of the SignedIn event (for X-Min-Position). */
  position: Position | null;
}

/**
 * The one way to hand out a session token: records the sign-in (SignedIn on the user's stream, with the
 * client's address and browser from the request) under a new session id, then signs a token carrying it.
 * Call it only once every factor was checked (password, and the second factor when one is on).
 */
@Injectable()
export class SessionTokens {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly tokens: TokenService,
  ) {}

  async start(user: SessionUser, context: CommandContext): Promise<StartedSession> {
    const sessionId = uuidv4();
    // The request may be anonymous (login, register): the sign-in is the user's own act.
    context.actingAs(user.userId, user.platformRole);
    const signedIn = await this.executor.execute({
      streamId: streams.user(user.userId),
      decider: userDecider,
      context,
      command: (_state, metadata) => ({
        type: 'SignIn' as const,
        data: {
          sessionId,
          ip: context.actor.ip ?? 'unknown',
          userAgent: context.actor.userAgent ?? '',
        },
        metadata,
      }),
    });
    return { token: this.tokens.issue(user, sessionId), sessionId, position: signedIn.position };
  }
}
