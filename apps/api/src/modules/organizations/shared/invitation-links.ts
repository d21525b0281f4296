import { Injectable } from '@nestjs/common';
import type { InvitationOpener } from '@stratus/domain';
import { ApiError } from '../../../shared/errors/api-error';
import { UserDirectory } from '../../../shared/users/user-directory.service';
import { hashInvitationToken, invitationTokenOrganizationId } from './invitation-tokens';

export function invitationNotFound(): ApiError {
  return new ApiError(404, 'invitation_not_found', 'This invitation link is invalid');
}

/**
 * Who follows an invitation link: the organization its token names and the signed-in user's address as their own
 * stream has it (verified or not). The organization's decider judges the rest (openInvitationFor).
 */
@Injectable()
export class InvitationLinks {
  constructor(private readonly users: UserDirectory) {}

  async open(token: string, userId: string): Promise<{ organizationId: string; opener: InvitationOpener }> {
    const organizationId = invitationTokenOrganizationId(token);
    if (!organizationId) throw invitationNotFound();
    const user = await this.users.load(userId);
    if (user.status !== 'registered') throw ApiError.unauthorized();
    return {
      organizationId,
      opener: {
        tokenHash: hashInvitationToken(token),
        email: user.email,
        emailVerified: user.emailVerification.status === 'verified',
      },
    };
  }
}
