import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  MembershipEntity,
  OrganizationEntity,
  roleResolver,
  UserEntity,
  type ProjectionsOrm,
} from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { AdminUserDetailDto } from '../../shared/directory.dto';
import { userSummary } from '../search-users/search-users.handler';
import { GetUserQuery } from './get-user.query';

@QueryHandler(GetUserQuery)
export class GetUserHandler implements IQueryHandler<GetUserQuery, AdminUserDetailDto | null> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ userId }: GetUserQuery): Promise<AdminUserDetailDto | null> {
    const em = this.orm.em.fork();
    const user = await em.findOne(UserEntity, { id: userId });
    if (!user) return null;
    const memberships = await em.find(
      MembershipEntity,
      { userId },
      { orderBy: { joinedAt: 'asc', organizationId: 'asc' } },
    );
    const organizations = memberships.length
      ? await em.find(OrganizationEntity, { id: { $in: memberships.map((m) => m.organizationId) } })
      : [];
    const names = new Map(organizations.map((o) => [o.id, o.name]));
    const resolve = await roleResolver(em, memberships);
    return {
      ...userSummary(user),
      activeOrganizationId: user.activeOrganizationId,
      memberships: memberships.map((m) => ({
        organizationId: m.organizationId,
        organizationName: names.get(m.organizationId) ?? null,
        role: m.role,
        roleName: resolve(m).name,
        joinedAt: m.joinedAt.toISOString(),
      })),
    };
  }
}
