import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { FilterQuery } from '@mikro-orm/core';
import { UserEntity, type ProjectionsOrm, type UserRow } from '@stratus/projections';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { AdminUserSummaryDto } from '../../shared/directory.dto';
import { containsPattern } from '../../shared/search-pattern';
import { SearchUsersQuery } from './search-users.query';

export function userSummary(row: UserRow): AdminUserSummaryDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    platformRole: row.platformRole,
    createdAt: row.createdAt.toISOString(),
  };
}

@QueryHandler(SearchUsersQuery)
export class SearchUsersHandler implements IQueryHandler<SearchUsersQuery, AdminUserSummaryDto[]> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ q, limit }: SearchUsersQuery): Promise<AdminUserSummaryDto[]> {
    const pattern = containsPattern(q);
    const where: FilterQuery<UserRow> = q
      ? {
          $or: [
            { email: { $ilike: pattern } },
            { name: { $ilike: pattern } },
            ...(isUuid(q) ? [{ id: q.toLowerCase() }] : []),
          ],
        }
      : {};
    const rows = await this.orm.em
      .fork()
      .find(UserEntity, where, { orderBy: { createdAt: 'desc', id: 'asc' }, limit });
    return rows.map(userSummary);
  }
}
