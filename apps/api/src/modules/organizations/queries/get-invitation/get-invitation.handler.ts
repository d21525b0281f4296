import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { openInvitationFor, roleOf } from '@stratus/domain';
import { UserEntity, type ProjectionsOrm } from '@stratus/projections';
import { OrganizationAccess } from '../../../../shared/auth/organization-access.service';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { InvitationLinks } from '../../shared/invitation-links';
import type { InvitationForYouDto } from '../../shared/invitation.dto';
import { GetInvitationQuery } from './get-invitation.query';

/**
 * Read from the organization's stream, not a read model: the link must work the instant the invitation is made,
 * and stop the instant it is revoked. The inviter's name is only decoration (read model, may lag).
 */
@QueryHandler(GetInvitationQuery)
export class GetInvitationHandler implements IQueryHandler<GetInvitationQuery, InvitationForYouDto> {
  constructor(
    private readonly organizations: OrganizationAccess,
    private readonly links: InvitationLinks,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
  ) {}

  async execute(query: GetInvitationQuery): Promise<InvitationForYouDto> {
    const { organizationId, opener } = await this.links.open(query.token, query.userId);
    const state = await this.organizations.load(organizationId);
    const { organization, invitation } = openInvitationFor(state, opener, this.clock.now().toISOString());
    const inviter = await this.orm.em.fork().findOne(UserEntity, { id: invitation.invitedBy });
    return {
      invitationId: invitation.invitationId,
      organizationId: organization.organizationId,
      organizationName: organization.name,
      email: invitation.email,
      role: invitation.role,
      roleName: roleOf(organization, invitation.role)?.name ?? invitation.role,
      invitedByName: inviter?.name ?? null,
      expiresAt: invitation.expiresAt,
    };
  }
}
