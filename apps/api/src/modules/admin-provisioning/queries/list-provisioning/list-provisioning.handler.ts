import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { CLOCK, type Clock } from '../../../../shared/event-sourcing/tokens';
import { TemporalWorkflows } from '../../../../shared/temporal/temporal-workflows.service';
import { ListProvisioningQuery, type ProvisioningWorkflowsPage } from './list-provisioning.query';

@QueryHandler(ListProvisioningQuery)
export class ListProvisioningHandler implements IQueryHandler<
  ListProvisioningQuery,
  ProvisioningWorkflowsPage
> {
  constructor(
    private readonly workflows: TemporalWorkflows,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async execute(query: ListProvisioningQuery): Promise<ProvisioningWorkflowsPage> {
    const page = await this.workflows.listProvisioning(query.filter);
    const now = this.clock.now().getTime();
    return {
      items: page.items.map((item) => ({
        ...item,
        ageSeconds: Math.max(0, Math.floor((now - Date.parse(item.startTime)) / 1000)),
      })),
      nextPageToken: page.nextPageToken,
    };
  }
}
