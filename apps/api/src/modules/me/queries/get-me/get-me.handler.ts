import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { UserEntity, type ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { UserDirectory } from '../../../../shared/users/user-directory.service';
import { readMyMembership, readMyMemberships } from '../../shared/my-memberships';
import { GetMeQuery, ME_MEMBERSHIPS_LIMIT, type MeView } from './get-me.query';

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
      readMyMemberships(em, userId, ME_MEMBERSHIPS_LIMIT, null),
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
    // The active organization's membership is always there, even past the bound.
    const items = [...memberships.items];
    if (activeOrganizationId && !items.some((m) => m.organizationId === activeOrganizationId)) {
      const active = await readMyMembership(em, userId, activeOrganizationId);
      if (active) items.push(active);
    }
    return {
      user,
      memberships: items,
      moreMemberships: memberships.more,
      activeOrganizationId,
    };
  }
}
