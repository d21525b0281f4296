import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { OrganizationEntity, roleResolver, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { encodeMembershipCursor, pageOfMemberships } from '../../../me/shared/my-memberships';
import { ListMyOrganizationsQuery, type MyOrganizationsPage } from './list-my-organizations.query';

@QueryHandler(ListMyOrganizationsQuery)
export class ListMyOrganizationsHandler implements IQueryHandler<
  ListMyOrganizationsQuery,
  MyOrganizationsPage
> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListMyOrganizationsQuery): Promise<MyOrganizationsPage> {
    const em = this.orm.em.fork();
    const { rows, more } = await pageOfMemberships(em, query.userId, query.limit, query.after);
    const organizations = rows.length
      ? await em.find(OrganizationEntity, { id: { $in: rows.map((m) => m.organizationId) } })
      : [];
    const byId = new Map(organizations.map((o) => [o.id, o]));
    const resolve = await roleResolver(em, rows);
    const items = rows.flatMap((membership) => {
      const organization = byId.get(membership.organizationId);
      if (!organization) return [];
      const role = resolve(membership);
      return [
        {
          organizationId: organization.id,
          name: organization.name,
          role: role.roleId,
          roleName: role.name,
          permissions: [...role.permissions],
          memberCount: organization.memberCount,
          createdAt: organization.createdAt.toISOString(),
        },
      ];
    });
    // The cursor is the last membership read, so a page whose organization row lags still moves on.
    const last = rows.at(-1);
    return {
      items,
      nextCursor:
        more && last
          ? encodeMembershipCursor({ joinedAt: last.joinedAt, organizationId: last.organizationId })
          : null,
    };
  }
}
