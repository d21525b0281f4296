import { Query } from '@nestjs/cqrs';

export interface PendingInvitationView {
  invitationId: string;
  email: string;
  role: string;
  roleName: string;
  invitedBy: string;
  createdAt: string;
  expiresAt: string;
}

/** The organization's invitations still waiting for an answer and not expired, oldest first. */
export class ListInvitationsQuery extends Query<PendingInvitationView[]> {
  constructor(
    readonly organizationId: string,
    readonly now: Date,
  ) {
    super();
  }
}
