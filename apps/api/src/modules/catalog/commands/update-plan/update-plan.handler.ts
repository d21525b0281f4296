import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { planDecider, streams } from '@stratus/domain';
import { type EventStore, CommandExecutor } from '@stratus/eventstore';
import { ApiError } from '../../../../shared/errors/api-error';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { loadPlan } from '../../shared/plan-pricing';
import type { PlanCommandResult } from '../create-plan/create-plan.command';
import { UpdatePlanCommand } from './update-plan.command';

const planNotFound = () => new ApiError(404, 'plan_not_found', 'Plan not found');

@CommandHandler(UpdatePlanCommand)
export class UpdatePlanHandler implements ICommandHandler<UpdatePlanCommand, PlanCommandResult> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async execute(command: UpdatePlanCommand): Promise<PlanCommandResult> {
    const existing = await loadPlan(this.eventStore, command.planId);
    if (!existing) throw planNotFound();
    const planId = existing.id;
    const result = await this.executor.execute({
      streamId: streams.plan(planId),
      decider: planDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'UpdatePlan' as const,
        data: { planId, ...command.changes },
        metadata,
      }),
    });
    const plan = await loadPlan(this.eventStore, planId);
    if (!plan) throw planNotFound();
    return { plan, position: result.position };
  }
}
