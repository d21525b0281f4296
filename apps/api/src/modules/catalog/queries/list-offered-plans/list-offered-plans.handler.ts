import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { ProviderPlanType } from '@stratus/domain';
import { PlanEntity, type ProjectionsOrm } from '@stratus/projections';
import { PROJECTIONS_ORM } from '../../../../shared/read-models/tokens';
import type { OfferedPlanDto } from '../../shared/plan.dto';
import { offeredPlanView } from '../../shared/plan-view';
import { ProviderCatalog } from '../../shared/provider-catalog.service';
import { ListOfferedPlansQuery } from './list-offered-plans.query';

@QueryHandler(ListOfferedPlansQuery)
export class ListOfferedPlansHandler implements IQueryHandler<ListOfferedPlansQuery, OfferedPlanDto[]> {
  constructor(
    @Inject(PROJECTIONS_ORM) private readonly orm: ProjectionsOrm,
    private readonly provider: ProviderCatalog,
  ) {}

  async execute(): Promise<OfferedPlanDto[]> {
    const rows = await this.orm.em
      .fork()
      .find(PlanEntity, { active: true }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    // Specs are a courtesy: plans (and their prices, which are ours) are listed even when the provider is down.
    const types = await this.provider.types().catch((): ProviderPlanType[] => []);
    const byId = new Map(types.map((t) => [t.id, t]));
    return rows.map((row) => {
      const type = byId.get(row.providerPlanId);
      return offeredPlanView(
        row,
        type
          ? { vcpus: type.vcpus, memoryMb: type.memoryMb, diskMb: type.diskMb, transferGb: type.transferGb }
          : null,
      );
    });
  }
}
