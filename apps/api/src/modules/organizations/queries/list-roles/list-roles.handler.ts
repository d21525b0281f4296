import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { builtInRoles } from '@stratus/domain';
import { OrganizationRoleEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListRolesQuery, type RoleView } from './list-roles.query';

@QueryHandler(ListRolesQuery)
export class ListRolesHandler implements IQueryHandler<ListRolesQuery, RoleView[]> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ organizationId }: ListRolesQuery): Promise<RoleView[]> {
    const em = this.orm.em.fork();
    const [custom, counts] = await Promise.all([
      em.find(OrganizationRoleEntity, { organizationId }, { orderBy: { name: 'asc', roleId: 'asc' } }),
      em
        .getConnection()
        .execute<{ role: string; n: number }[]>(
          'select role, count(*)::int as n from memberships where organization_id = ? group by role',
          [organizationId],
        ),
    ]);
    const memberCount = new Map(counts.map((c) => [c.role, c.n]));
    return [
      ...builtInRoles().map((role) => ({ ...role, permissions: [...role.permissions] })),
      ...custom.map((row) => ({
        roleId: row.roleId,
        name: row.name,
        builtIn: false,
        permissions: [...row.permissions],
      })),
    ].map((role) => ({ ...role, memberCount: memberCount.get(role.roleId) ?? 0 }));
  }
}
