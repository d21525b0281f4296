import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { permissionsOf } from '@stratus/domain';
import { MembershipEntity, OrganizationEntity, UserEntity, type ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { GetMeQuery, type MeView } from './get-me.query';

@QueryHandler(GetMeQuery)
export class GetMeHandler implements IQueryHandler<GetMeQuery, MeView> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    private readonly users: UserDirectory,
  ) {}

  async execute({ userId }: GetMeQuery): Promise<MeView> {
    const em = this.orm.em.fork();
    const [row, memberships] = await Promise.all([
      em.findOne(UserEntity, { id: userId }),
      em.find(MembershipEntity, { userId }, { orderBy: { joinedAt: 'asc', organizationId: 'asc' } }),
    ]);
    let user: MeView['user'];
    let activeOrganizationId: string | null;
    if (row) {
      user = {
        id: row.id,
        email: row.email,
        name: row.name,
        platformRole: row.platformRole,
        emailVerified: row.emailVerified,
        twoFactorEnabled: row.twoFactorEnabled,
      };
      activeOrganizationId = row.activeOrganizationId;
    } else {
      // The token proves the user exists; a missing row is projection lag, so read the user's own stream.
      const state = await this.users.load(userId);
      if (state.status !== 'registered') throw ApiError.unauthorized('The session no longer matches a user');
      user = {
        id: state.userId,
        email: state.email,
        name: state.name,
        platformRole: state.platformRole,
        emailVerified: state.emailVerification.status === 'verified',
        twoFactorEnabled: state.twoFactor.status === 'enabled',
      };
      activeOrganizationId = state.activeOrganizationId;
    }
    const organizations = memberships.length
      ? await em.find(OrganizationEntity, { id: { $in: memberships.map((m) => m.organizationId) } })
      : [];
    const names = new Map(organizations.map((o) => [o.id, o.name]));
    return {
      user,
      memberships: memberships.map((m) => ({
        organizationId: m.organizationId,
        organizationName: names.get(m.organizationId) ?? '',
        role: m.role,
        permissions: [...permissionsOf(m.role)],
      })),
      activeOrganizationId,
    };
  }
}
