import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { formatMoney } from '@stratus/domain';
import { walletSpendByHour, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { GetWalletSpendQuery, type WalletSpendView } from './get-wallet-spend.query';

@QueryHandler(GetWalletSpendQuery)
export class GetWalletSpendHandler implements IQueryHandler<GetWalletSpendQuery, WalletSpendView> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetWalletSpendQuery): Promise<WalletSpendView> {
    const hours = await walletSpendByHour(this.orm, query.organizationId, query.since);
    const total = hours.reduce((sum, h) => sum + h.spend, 0n);
    return {
      since: query.since.toISOString(),
      total: formatMoney(total),
      hours: hours.map((h) => ({ hour: h.hour.toISOString(), amount: formatMoney(h.spend) })),
    };
  }
}
