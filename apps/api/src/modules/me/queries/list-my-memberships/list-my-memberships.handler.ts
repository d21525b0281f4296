import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { encodeMembershipCursor, readMyMemberships } from '../../shared/my-memberships';
import { ListMyMembershipsQuery, type MyMembershipsPage } from './list-my-memberships.query';

@QueryHandler(ListMyMembershipsQuery)
export class ListMyMembershipsHandler implements IQueryHandler<ListMyMembershipsQuery, MyMembershipsPage> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListMyMembershipsQuery): Promise<MyMembershipsPage> {
    const { items, more } = await readMyMemberships(
      this.orm.em.fork(),
      query.userId,
      query.limit,
      query.after,
    );
    const last = items.at(-1);
    return {
      items,
      nextCursor:
        more && last
          ? encodeMembershipCursor({ joinedAt: new Date(last.joinedAt), organizationId: last.organizationId })
          : null,
    };
  }
}
