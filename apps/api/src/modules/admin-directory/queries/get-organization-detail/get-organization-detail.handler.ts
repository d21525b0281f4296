import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatMoney } from '@stratus/domain';
import {
  MembershipEntity,
  OrganizationEntity,
  roleResolver,
  UserEntity,
  VpsServerEntity,
  WalletEntity,
  WalletTransactionEntity,
  type ProjectionsOrm,
} from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { AdminOrganizationDetailDto } from '../../shared/directory.dto';
import { organizationSummary } from '../search-organizations/search-organizations.handler';
import { GetOrganizationDetailQuery } from './get-organization-detail.query';

const RECENT_TRANSACTIONS = 20;
const MAX_SERVERS = 200;

@QueryHandler(GetOrganizationDetailQuery)
export class GetOrganizationDetailHandler implements IQueryHandler<
  GetOrganizationDetailQuery,
  AdminOrganizationDetailDto | null
> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute({ organizationId }: GetOrganizationDetailQuery): Promise<AdminOrganizationDetailDto | null> {
    const em = this.orm.em.fork();
    const organization = await em.findOne(OrganizationEntity, { id: organizationId });
    if (!organization) return null;
    const [wallet, memberships, servers, transactions] = await Promise.all([
      em.findOne(WalletEntity, { organizationId }),
      em.find(MembershipEntity, { organizationId }, { orderBy: { joinedAt: 'asc', userId: 'asc' } }),
      em.find(
        VpsServerEntity,
        { organizationId },
        { orderBy: { createdAt: 'desc', id: 'asc' }, limit: MAX_SERVERS },
      ),
      em.find(
        WalletTransactionEntity,
        { organizationId },
        { orderBy: { positionCommit: 'desc', positionPrepare: 'desc' }, limit: RECENT_TRANSACTIONS },
      ),
    ]);
    const users = memberships.length
      ? await em.find(UserEntity, { id: { $in: memberships.map((m) => m.userId) } })
      : [];
    const byId = new Map(users.map((u) => [u.id, u]));
    const resolve = await roleResolver(em, memberships);
    return {
      ...organizationSummary(organization, wallet ?? undefined),
      wallet: {
        balance: formatMoney(wallet?.balance ?? 0n),
        outstandingDebt: formatMoney(wallet?.outstandingDebt ?? 0n),
        currency: wallet?.currency ?? 'USD',
        transactionCount: wallet?.transactionCount ?? 0,
        updatedAt: wallet?.updatedAt.toISOString() ?? null,
      },
      members: memberships.map((m) => ({
        userId: m.userId,
        name: byId.get(m.userId)?.name ?? null,
        email: byId.get(m.userId)?.email ?? null,
        role: m.role,
        roleName: resolve(m).name,
        joinedAt: m.joinedAt.toISOString(),
      })),
      servers: servers.map((s) => ({
        id: s.id,
        label: s.label,
        status: s.status,
        region: s.region,
        hourlyPrice: formatMoney(s.hourlyPrice),
        provisioningStage: s.provisioningStage,
        createdAt: s.createdAt.toISOString(),
      })),
      recentTransactions: transactions.map((t) => ({
        id: t.id,
        type: t.type,
        amount: formatMoney(t.amount),
        balanceAfter: formatMoney(t.balanceAfter),
        description: t.description,
        reference: t.reference,
        actorUserId: t.actorUserId,
        occurredAt: t.occurredAt.toISOString(),
      })),
    };
  }
}
