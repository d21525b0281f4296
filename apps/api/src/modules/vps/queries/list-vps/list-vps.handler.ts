import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { VpsServerEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { VpsSummaryDto } from '../../shared/vps.dto';
import { vpsSummaryView } from '../../shared/vps-view';
import { ListVpsQuery } from './list-vps.query';

@QueryHandler(ListVpsQuery)
export class ListVpsHandler implements IQueryHandler<ListVpsQuery, VpsSummaryDto[]> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: ListVpsQuery): Promise<VpsSummaryDto[]> {
    const rows = await this.orm.em
      .fork()
      .find(
        VpsServerEntity,
        { organizationId: query.organizationId, ...(query.status ? { status: query.status } : {}) },
        { orderBy: { createdAt: 'desc', id: 'asc' } },
      );
    return rows.map(vpsSummaryView);
  }
}
