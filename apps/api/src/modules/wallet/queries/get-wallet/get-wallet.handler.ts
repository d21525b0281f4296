import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatMoney } from '@stratus/domain';
import { WalletEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { GetWalletQuery, type WalletView } from './get-wallet.query';

@QueryHandler(GetWalletQuery)
export class GetWalletHandler implements IQueryHandler<GetWalletQuery, WalletView> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetWalletQuery): Promise<WalletView> {
    const row = await this.orm.em.fork().findOne(WalletEntity, { organizationId: query.organizationId });
    if (!row) {
      // A member's organization always has a wallet; no row means the projection has not seen it yet.
      return {
        organizationId: query.organizationId,
        balance: formatMoney(0n),
        outstandingDebt: formatMoney(0n),
        currency: 'USD',
        transactionCount: 0,
        updatedAt: null,
      };
    }
    return {
      organizationId: row.organizationId,
      balance: formatMoney(row.balance),
      outstandingDebt: formatMoney(row.outstandingDebt),
      currency: row.currency,
      transactionCount: row.transactionCount,
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}
