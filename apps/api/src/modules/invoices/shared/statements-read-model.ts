import { Inject, Injectable } from '@nestjs/common';
import { formatMoney, sumMoney } from '@stratus/domain';
import { statementCharges, type ProjectionsOrm } from '@stratus/projections';
import { ApiError } from '../../../shared/errors/api-error';
import { PROJECTIONS_ORM } from '../../../shared/read-models/tokens';
import type { StatementDto } from './statement.dto';

/** Who the documents name as the seller (the operator's own name and address are not configurable yet). */
export const BILLING_SELLER = 'Stratus';

/** `2026-05` → the UTC month [from, to); 400 for anything else. */
export function parseStatementPeriod(period: string): { period: string; from: Date; to: Date } {
  const match = /^(2[0-9]{3})-(0[1-9]|1[0-2])$/.exec(period);
  if (!match) {
    throw ApiError.badRequest('invalid_period', 'period must be a month as YYYY-MM, such as 2026-05', {
      field: 'period',
    });
  }
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  return { period, from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) };
}

/** Monthly usage statements from the wallet-transactions read model. */
@Injectable()
export class StatementsReadModel {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async statement(organizationId: string, periodText: string): Promise<StatementDto> {
    const { period, from, to } = parseStatementPeriod(periodText);
    const servers = await statementCharges(this.orm, organizationId, from, to);
    return {
      organizationId,
      period,
      from: from.toISOString(),
      to: to.toISOString(),
      servers: servers.map((server) => ({ ...server, amount: formatMoney(server.amount) })),
      total: formatMoney(sumMoney(servers.map((server) => server.amount))),
    };
  }
}
