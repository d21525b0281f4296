import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { FilterQuery } from '@mikro-orm/core';
import { formatMoney } from '@stratus/domain';
import {
  MembershipEntity,
  OrganizationEntity,
  UserEntity,
  WalletEntity,
  type OrganizationRow,
  type ProjectionsOrm,
  type WalletRow,
} from '@stratus/projections';
import { isUuid } from '../../../../shared/auth/organization-access.service';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { AdminOrganizationSummaryDto } from '../../shared/directory.dto';
import { containsPattern } from '../../shared/search-pattern';
import { SearchOrganizationsQuery } from './search-organizations.query';

export function organizationSummary(
  row: OrganizationRow,
  wallet: WalletRow | undefined,
): AdminOrganizationSummaryDto {
  return {
    id: row.id,
    name: row.name,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    memberCount: row.memberCount,
    balance: wallet ? formatMoney(wallet.balance) : null,
  };
}

/** Members found by email widen the match, so "ada@example.com" finds Ada's organizations too. */
const MAX_MATCHED_MEMBERS = 200;

@QueryHandler(SearchOrganizationsQuery)
export class SearchOrganizationsHandler implements IQueryHandler<
  SearchOrganizationsQuery,
  AdminOrganizationSummaryDto[]
> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ q, limit }: SearchOrganizationsQuery): Promise<AdminOrganizationSummaryDto[]> {
    const em = this.orm.em.fork();
    let where: FilterQuery<OrganizationRow> = {};
    if (q) {
      const pattern = containsPattern(q);
      const users = await em.find(
        UserEntity,
        { email: { $ilike: pattern } },
        { fields: ['id'], limit: MAX_MATCHED_MEMBERS },
      );
      const memberships = users.length
        ? await em.find(MembershipEntity, { userId: { $in: users.map((u) => u.id) } })
        : [];
      where = {
        $or: [
          { name: { $ilike: pattern } },
          ...(isUuid(q) ? [{ id: q.toLowerCase() }] : []),
          ...(memberships.length ? [{ id: { $in: memberships.map((m) => m.organizationId) } }] : []),
        ],
      };
    }
    const rows = await em.find(OrganizationEntity, where, {
      orderBy: { createdAt: 'desc', id: 'asc' },
      limit,
    });
    const wallets = rows.length
      ? await em.find(WalletEntity, { organizationId: { $in: rows.map((r) => r.id) } })
      : [];
    const byId = new Map(wallets.map((w) => [w.organizationId, w]));
    return rows.map((row) => organizationSummary(row, byId.get(row.id)));
  }
}
