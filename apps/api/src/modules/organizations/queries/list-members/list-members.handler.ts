import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { MembershipEntity, roleResolver, UserEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListMembersQuery, type MemberView } from './list-members.query';

@QueryHandler(ListMembersQuery)
export class ListMembersHandler implements IQueryHandler<ListMembersQuery, MemberView[]> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListMembersQuery): Promise<MemberView[]> {
    const em = this.orm.em.fork();
    const memberships = await em.find(
      MembershipEntity,
      { organizationId: query.organizationId },
      { orderBy: { joinedAt: 'asc', userId: 'asc' } },
    );
    const users = memberships.length
      ? await em.find(UserEntity, { id: { $in: memberships.map((m) => m.userId) } })
      : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    const resolve = await roleResolver(em, memberships);
    return memberships.map((m) => ({
      userId: m.userId,
      name: byId.get(m.userId)?.name ?? null,
      email: byId.get(m.userId)?.email ?? null,
      role: m.role,
      roleName: resolve(m).name,
      joinedAt: m.joinedAt.toISOString(),
    }));
  }
}
