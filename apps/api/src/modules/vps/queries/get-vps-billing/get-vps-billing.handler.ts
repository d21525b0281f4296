import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatMoney, vpsChargeIdPrefix } from '@stratus/domain';
import { formatPosition } from '@stratus/eventstore';
import type { FilterQuery } from '@mikro-orm/core';
import {
  WalletTransactionEntity,
  type ProjectionsOrm,
  type WalletTransactionRow,
} from '@stratus/projections';
import { encodePositionCursor } from '../../../../shared/read-models/position-cursor';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { findVpsRow } from '../../shared/vps-lookup';
import { GetVpsBillingQuery, type VpsBillingView } from './get-vps-billing.query';

/** Escapes LIKE metacharacters (a uuid has none, but the prefix is built from input). */
const likePrefix = (prefix: string) => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

@QueryHandler(GetVpsBillingQuery)
export class GetVpsBillingHandler implements IQueryHandler<GetVpsBillingQuery, VpsBillingView> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetVpsBillingQuery): Promise<VpsBillingView> {
    const vps = await findVpsRow(this.orm, query.organizationId, query.vpsId);
    const em = this.orm.em.fork();
    const charges = likePrefix(vpsChargeIdPrefix(vps.id));
    const where: FilterQuery<WalletTransactionRow> = {
      organizationId: query.organizationId,
      chargeId: { $like: charges },
    };
    const { before } = query;
    if (before) {
      where.$or = [
        { positionCommit: { $lt: before.commit } },
        { positionCommit: before.commit, positionPrepare: { $lt: before.prepare } },
      ];
    }
    const [rows, [sum]] = await Promise.all([
      em.find(WalletTransactionEntity, where, {
        orderBy: { positionCommit: 'desc', positionPrepare: 'desc' },
        limit: query.limit + 1,
      }),
      // The total covers every page.
      em.getConnection().execute<{ total: string }[]>(
        `select coalesce(sum(amount), 0)::text as total from wallet_transactions
            where organization_id = ? and charge_id like ?`,
        [query.organizationId, charges],
      ),
    ]);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      vpsId: vps.id,
      hourlyPrice: formatMoney(vps.hourlyPrice),
      monthlyPrice: formatMoney(vps.monthlyPrice),
      lastBilledAt: vps.lastBilledAt?.toISOString() ?? null,
      billedUntil: vps.billedUntil?.toISOString() ?? null,
      totalCharged: formatMoney(-BigInt(sum.total)),
      charges: page.map((row) => ({
        id: row.id,
        type: row.type,
        chargeId: row.chargeId!,
        amount: formatMoney(row.amount),
        attemptedAmount: row.attemptedAmount === null ? null : formatMoney(row.attemptedAmount),
        description: row.description,
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
