import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  MembershipEntity,
  OrganizationEntity,
  roleResolver,
  type ProjectionsOrm,
} from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListMyOrganizationsQuery, type MyOrganization } from './list-my-organizations.query';

@QueryHandler(ListMyOrganizationsQuery)
export class ListMyOrganizationsHandler implements IQueryHandler<ListMyOrganizationsQuery, MyOrganization[]> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListMyOrganizationsQuery): Promise<MyOrganization[]> {
    const em = this.orm.em.fork();
    const memberships = await em.find(
      MembershipEntity,
      { userId: query.userId },
      { orderBy: { joinedAt: 'asc' } },
    );
    if (memberships.length === 0) return [];
    const organizations = await em.find(OrganizationEntity, {
      id: { $in: memberships.map((m) => m.organizationId) },
    });
    const byId = new Map(organizations.map((o) => [o.id, o]));
    const resolve = await roleResolver(em, memberships);
    return memberships.flatMap((membership) => {
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
  }
}
