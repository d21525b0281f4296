import { Injectable } from '@nestjs/common';
import {
  emailClaimDecider,
  streams,
  userDecider,
  type RegisteredUserState,
  type UserState,
} from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';

/**
 * Users looked up in their own streams (email claim, then user), not in the users read model:
 * login and "add member by email" must work the instant registration returns.
 */
@Injectable()
export class UserDirectory {
  constructor(private readonly executor: CommandExecutor) {}

  async userIdForEmail(email: string): Promise<string | null> {
    if (typeof email !== 'string' || email.trim().length === 0 || email.length > 254) return null;
    const { state } = await this.executor.load(streams.emailClaim(email), emailClaimDecider);
    return state.status === 'claimed' ? state.userId : null;
  }

  async load(userId: string): Promise<UserState> {
    return (await this.executor.load(streams.user(userId), userDecider)).state;
  }

  /** The registered user owning `email`, or null (unknown email, or a registration that never completed). */
  async findByEmail(email: string): Promise<RegisteredUserState | null> {
    const userId = await this.userIdForEmail(email);
    if (!userId) return null;
    const state = await this.load(userId);
    return state.status === 'registered' ? state : null;
  }
}
