import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { VpsDetailDto } from '../../shared/vps.dto';
import { findVpsRow } from '../../shared/vps-lookup';
import { vpsDetailView } from '../../shared/vps-view';
import { GetVpsQuery } from './get-vps.query';

@QueryHandler(GetVpsQuery)
export class GetVpsHandler implements IQueryHandler<GetVpsQuery, VpsDetailDto> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(query: GetVpsQuery): Promise<VpsDetailDto> {
    return vpsDetailView(await findVpsRow(this.orm, query.organizationId, query.vpsId));
  }
}
