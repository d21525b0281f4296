import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PlanEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { PlanDto } from '../../shared/plan.dto';
import { planView } from '../../shared/plan-view';
import { ListPlansQuery } from './list-plans.query';

@QueryHandler(ListPlansQuery)
export class ListPlansHandler implements IQueryHandler<ListPlansQuery, PlanDto[]> {
  constructor(@Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm) {}

  async execute(): Promise<PlanDto[]> {
    const rows = await this.orm.em.fork().find(PlanEntity, {}, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return rows.map(planView);
  }
}
