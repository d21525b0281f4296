import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { transferMonthOf, type ServerTransfer } from '@stratus/domain';
import { VpsServerEntity, type ProjectionsOrm } from '@stratus/projections';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { OrganizationTransferDto, TransferDayDto } from '../../shared/transfer.dto';
import { TransferUsageReader } from '../../shared/transfer-usage';
import { GetOrganizationTransferQuery } from './get-organization-transfer.query';

@QueryHandler(GetOrganizationTransferQuery)
export class GetOrganizationTransferHandler implements IQueryHandler<
  GetOrganizationTransferQuery,
  OrganizationTransferDto
> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly usage: TransferUsageReader,
  ) {}

  async execute(query: GetOrganizationTransferQuery): Promise<OrganizationTransferDto> {
    const now = this.clock.now();
    const month = query.month ?? transferMonthOf(now);
    // Every server the organization had (a deleted one's bytes of the month still count).
    const rows = await this.orm.em
      .fork()
      .find(
        VpsServerEntity,
        { organizationId: query.organizationId },
        { orderBy: { label: 'asc', id: 'asc' } },
      );
    const servers: OrganizationTransferDto['servers'] = [];
    const months: ServerTransfer[] = [];
    let days: TransferDayDto[] = [];
    for (const row of rows) {
      const usage = await this.usage.serverMonth(query.organizationId, row.id, month, now);
      if (usage.month === null) continue;
      months.push(usage.month);
      servers.push({
        vpsId: row.id,
        label: row.label,
        usedBytes: usage.month.usedBytes.toString(),
        quotaGb: usage.month.quotaGb,
      });
      days =
        days.length === 0
          ? usage.days
          : days.map((day, i) => ({
              date: day.date,
              usedBytes: (BigInt(day.usedBytes) + BigInt(usage.days[i]?.usedBytes ?? '0')).toString(),
            }));
    }
    if (days.length === 0) days = this.usage.emptyDays(month, now);
    const [price, closed] = await Promise.all([
      this.usage.priceOf(month),
      this.usage.closed(query.organizationId, month),
    ]);
    return { month, ...this.usage.bill(month, months, price), closed, servers, days };
  }
}
