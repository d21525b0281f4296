import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatMoney, vpsChargeIdPrefix } from '@stratus/domain';
import { formatPosition } from '@stratus/eventstore';
import { WalletTransactionEntity, type ProjectionsOrm } from '@stratus/projections';
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
    const rows = await this.orm.em
      .fork()
      .find(
        WalletTransactionEntity,
        { organizationId: query.organizationId, chargeId: { $like: likePrefix(vpsChargeIdPrefix(vps.id)) } },
        { orderBy: { positionCommit: 'desc', positionPrepare: 'desc' } },
      );
    const total = rows.reduce((sum, row) => sum - row.amount, 0n);
    return {
      vpsId: vps.id,
      hourlyPrice: formatMoney(vps.hourlyPrice),
      monthlyPrice: formatMoney(vps.monthlyPrice),
      lastBilledAt: vps.lastBilledAt?.toISOString() ?? null,
      billedUntil: vps.billedUntil?.toISOString() ?? null,
      totalCharged: formatMoney(total),
      charges: rows.map((row) => ({
        id: row.id,
        type: row.type,
        chargeId: row.chargeId!,
        amount: formatMoney(row.amount),
        attemptedAmount: row.attemptedAmount === null ? null : formatMoney(row.attemptedAmount),
        description: row.description,
        occurredAt: row.occurredAt.toISOString(),
        position: formatPosition({ commit: row.positionCommit, prepare: row.positionPrepare }),
      })),
    };
  }
}
