import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatMoney } from '@stratus/domain';
import { formatPosition } from '@stratus/eventstore';
import type { FilterQuery } from '@mikro-orm/core';
import {
  WalletTransactionEntity,
  type ProjectionsOrm,
  type WalletTransactionRow,
} from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { ListWalletTransactionsQuery, type WalletTransactionsPage } from './list-wallet-transactions.query';
import { encodePositionCursor } from '../../../../shared/read-models/position-cursor';

@QueryHandler(ListWalletTransactionsQuery)
export class ListWalletTransactionsHandler implements IQueryHandler<
  ListWalletTransactionsQuery,
  WalletTransactionsPage
> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListWalletTransactionsQuery): Promise<WalletTransactionsPage> {
    const { before, filter } = query;
    const where: FilterQuery<WalletTransactionRow> = { organizationId: query.organizationId };
    if (before) {
      where.$or = [
        { positionCommit: { $lt: before.commit } },
        { positionCommit: before.commit, positionPrepare: { $lt: before.prepare } },
      ];
    }
    if (filter.types) where.type = { $in: filter.types };
    if (filter.since) where.occurredAt = { $gte: filter.since };
    const rows = await this.orm.em.fork().find(WalletTransactionEntity, where, {
      orderBy: { positionCommit: 'desc', positionPrepare: 'desc' },
      limit: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map((row) => ({
        id: row.id,
        type: row.type,
        amount: formatMoney(row.amount),
        attemptedAmount: row.attemptedAmount === null ? null : formatMoney(row.attemptedAmount),
        balanceAfter: formatMoney(row.balanceAfter),
        description: row.description,
        reference: row.reference,
        chargeId: row.chargeId,
        actorUserId: row.actorUserId,
        occurredAt: row.occurredAt.toISOString(),
        position: formatPosition({ commit: row.positionCommit, prepare: row.positionPrepare }),
      })),
      nextCursor:
        rows.length > query.limit && last
          ? encodePositionCursor({ commit: last.positionCommit, prepare: last.positionPrepare })
          : null,
    };
  }
}
