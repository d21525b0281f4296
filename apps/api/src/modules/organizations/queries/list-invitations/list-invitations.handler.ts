import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { InvitationEntity, roleResolver, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListInvitationsQuery, type PendingInvitationView } from './list-invitations.query';

@QueryHandler(ListInvitationsQuery)
export class ListInvitationsHandler implements IQueryHandler<ListInvitationsQuery, PendingInvitationView[]> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListInvitationsQuery): Promise<PendingInvitationView[]> {
    const em = this.orm.em.fork();
    // At most MAX_PENDING_INVITATIONS rows match: the decider caps them.
    const rows = await em.find(
      InvitationEntity,
      { organizationId: query.organizationId, status: 'pending', expiresAt: { $gt: query.now } },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
    const resolve = await roleResolver(em, rows);
    return rows.map((row) => ({
      invitationId: row.id,
      email: row.email,
      role: row.role,
      roleName: resolve(row).name,
      invitedBy: row.invitedBy,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    }));
  }
}
