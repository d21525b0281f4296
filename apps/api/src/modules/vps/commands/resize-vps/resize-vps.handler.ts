import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { streams, vpsDecider } from '@stratus/domain';
import { CommandExecutor, type EventStore } from '@stratus/eventstore';
import { Inject } from '@nestjs/common';
import { ApiError } from '../../../../shared/errors/api-error';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { loadPlan } from '../../../catalog/shared/plan-pricing';
import { ProviderCatalog } from '../../../catalog/shared/provider-catalog.service';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { requireOrganizationVps, vpsIdFrom } from '../../shared/vps-stream';
import { ResizeVpsCommand } from './resize-vps.command';

/**
 * Resize to another plan: active and offered in the server's region (as on creation, from the plan's stream);
 * the disks of both plans from the provider's types, so the decider refuses a smaller disk and the same plan and
 * prices the new plan (applied from the next billing period by resizeServerWorkflow's completion).
 */
@CommandHandler(ResizeVpsCommand)
export class ResizeVpsHandler implements ICommandHandler<ResizeVpsCommand, StartedOperation> {
  constructor(
    private readonly operations: VpsOperationStarter,
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
    private readonly providerCatalog: ProviderCatalog,
  ) {}

  async execute(command: ResizeVpsCommand): Promise<StartedOperation> {
    const { organizationId } = command;
    const vpsId = vpsIdFrom(command.vpsId);
    const { state } = await this.executor.load(streams.vps(vpsId), vpsDecider);
    const vps = requireOrganizationVps(state, organizationId);
    const plan = await loadPlan(this.eventStore, command.planId);
    if (!plan || !plan.active) {
      throw new ApiError(422, 'plan_not_available', 'The plan does not exist or is no longer offered', {
        field: 'planId',
        planId: command.planId,
      });
    }
    if (!plan.regions.includes(vps.region)) {
      throw new ApiError(
        422,
        'region_not_offered',
        `The plan is not offered in the server's region ${vps.region}`,
        {
          field: 'planId',
          region: vps.region,
          offeredRegions: plan.regions,
        },
      );
    }
    const types = await this.providerCatalog.types();
    const diskOf = (providerPlanId: string) => types.find((type) => type.id === providerPlanId)?.diskMb;
    const diskMb = diskOf(plan.providerPlanId);
    const currentDiskMb = diskOf(vps.providerPlanId);
    if (diskMb === undefined || currentDiskMb === undefined) {
      throw new ApiError(422, 'plan_not_available', 'The provider no longer offers this plan type', {
        field: 'planId',
        planId: command.planId,
      });
    }
    return this.operations.start(
      organizationId,
      vpsId,
      {
        type: 'RequestResize',
        data: {
          plan: {
            planId: plan.id,
            providerPlanId: plan.providerPlanId,
            baseMonthlyPrice: plan.baseMonthlyPrice,
            markup: plan.markup,
            backupUpcharge: plan.backupUpcharge,
            diskMb,
          },
          currentDiskMb,
        },
      },
      command.context,
    );
  }
}
