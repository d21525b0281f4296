import { Injectable } from '@nestjs/common';
import {
  DomainError,
  EMAIL_VERIFICATION_TTL_MS,
  PASSWORD_RESET_TTL_MS,
  streams,
  userDecider,
  type CommandMetadata,
  type UserCommand,
  type UserState,
} from '@stratus/domain';
import { CommandExecutor, type Position } from '@stratus/eventstore';
import { SessionChecker } from '../../../shared/auth/session-checker.service';
import { ApiError } from '../../../shared/errors/api-error';
import type { CommandContext } from '../../../shared/request-context/command-context';
import { revokedIn } from '../../me/commands/revoke-session/revoke-session.handler';
import { hashLinkToken, linkTokenUserId, LinkTokens } from './link-tokens';

export function invalidToken(kind: 'verification' | 'reset'): ApiError {
  return ApiError.badRequest('invalid_token', `This ${kind} link is invalid or was already used`, {
    field: 'token',
  });
}

type UserCommandOf = (state: UserState, metadata: CommandMetadata) => UserCommand;

/**
 * The account's link flows on the user's stream: issuing verification and reset links, following them, and
 * changing the password. Whatever ends sessions tells the SessionChecker.
 */
@Injectable()
export class AccountLinks {
  constructor(
    private readonly executor: CommandExecutor,
    private readonly links: LinkTokens,
    private readonly sessions: SessionChecker,
  ) {}

  private run(userId: string, context: CommandContext, command: UserCommandOf) {
    return this.executor.execute({ streamId: streams.user(userId), decider: userDecider, context, command });
  }

  async requestEmailVerification(userId: string, context: CommandContext): Promise<Position | null> {
    const token = this.links.issue('EmailVerificationRequested', userId, EMAIL_VERIFICATION_TTL_MS);
    const result = await this.run(userId, context, (_state, metadata) => ({
      type: 'RequestEmailVerification',
      data: token,
      metadata,
    }));
    return result.position;
  }

  /** Follows a verification link: anyone holding the token may (the link is the authority). */
  async verifyEmail(token: string, context: CommandContext): Promise<Position | null> {
    const userId = linkTokenUserId(token);
    if (!userId) throw invalidToken('verification');
    const result = await this.withUnknownUserAsInvalid('verification', () =>
      this.run(userId, context, (_state, metadata) => ({
        type: 'VerifyEmail',
        data: { tokenHash: hashLinkToken(token) },
        metadata,
      })),
    );
    return result.position;
  }

  async requestPasswordReset(userId: string, context: CommandContext): Promise<Position | null> {
    const token = this.links.issue('PasswordResetRequested', userId, PASSWORD_RESET_TTL_MS);
    const result = await this.run(userId, context, (_state, metadata) => ({
      type: 'RequestPasswordReset',
      data: token,
      metadata,
    }));
    return result.position;
  }

  /** Follows a reset link: sets the password (already hashed) and ends every session. */
  async resetPassword(
    token: string,
    passwordHash: string,
    context: CommandContext,
  ): Promise<Position | null> {
    const userId = linkTokenUserId(token);
    if (!userId) throw invalidToken('reset');
    const result = await this.withUnknownUserAsInvalid('reset', () =>
      this.run(userId, context, (_state, metadata) => ({
        type: 'ResetPassword',
        data: { tokenHash: hashLinkToken(token), passwordHash },
        metadata,
      })),
    );
    await this.sessions.revoked(userId, revokedIn(result.events), result.position);
    return result.position;
  }

  /** The owner's password change (current password checked by the caller): ends their other sessions. */
  async changePassword(
    userId: string,
    change: { passwordHash: string; currentPasswordValid: boolean; currentSessionId: string },
    context: CommandContext,
  ): Promise<Position | null> {
    const result = await this.run(userId, context, (_state, metadata) => ({
      type: 'ChangePassword',
      data: change,
      metadata,
    }));
    await this.sessions.revoked(userId, revokedIn(result.events), result.position);
    return result.position;
  }

  /** A token naming no registered user is just an invalid token (no hint whether the user exists). */
  private async withUnknownUserAsInvalid<T>(
    kind: 'verification' | 'reset',
    run: () => Promise<T>,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof DomainError && error.reason === 'user_not_found') throw invalidToken(kind);
      throw error;
    }
  }
}
