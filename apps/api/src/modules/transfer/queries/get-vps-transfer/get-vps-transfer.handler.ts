import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { BYTES_PER_GB, transferMonthOf } from '@stratus/domain';
import type { ProjectionsOrm } from '@stratus/projections';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import { findVpsRow } from '../../../vps/shared/vps-lookup';
import type { VpsTransferDto } from '../../shared/transfer.dto';
import { TransferUsageReader } from '../../shared/transfer-usage';
import { GetVpsTransferQuery } from './get-vps-transfer.query';

@QueryHandler(GetVpsTransferQuery)
export class GetVpsTransferHandler implements IQueryHandler<GetVpsTransferQuery, VpsTransferDto> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly usage: TransferUsageReader,
  ) {}

  async execute(query: GetVpsTransferQuery): Promise<VpsTransferDto> {
    // Another organization's server is the same 404 as an unknown one.
    const vps = await findVpsRow(this.orm, query.organizationId, query.vpsId);
    const now = this.clock.now();
    const month = query.month ?? transferMonthOf(now);
    const { month: server, days } = await this.usage.serverMonth(query.organizationId, vps.id, month, now);
    const quotaGb = server?.quotaGb ?? 0;
    return {
      vpsId: vps.id,
      month,
      usedBytes: (server?.usedBytes ?? 0n).toString(),
      quotaGb,
      allowanceBytes: (BigInt(quotaGb) * BYTES_PER_GB).toString(),
      measuredAt: server?.lastHour ?? null,
      days,
    };
  }
}
