import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { planDecider, streams } from '@stratus/domain';
import { type EventStore, CommandExecutor } from '@stratus/eventstore';
import { v4 as uuidv4 } from 'uuid';
import { EVENT_STORE } from '../../../../shared/event-sourcing/tokens';
import { loadPlan } from '../../shared/plan-pricing';
import { CreatePlanCommand, type PlanCommandResult } from './create-plan.command';

@CommandHandler(CreatePlanCommand)
export class CreatePlanHandler implements ICommandHandler<CreatePlanCommand, PlanCommandResult> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async execute(command: CreatePlanCommand): Promise<PlanCommandResult> {
    const planId = uuidv4();
    const result = await this.executor.execute({
      streamId: streams.plan(planId),
      decider: planDecider,
      context: command.context,
      expectNoStream: true,
      command: (_state, metadata) => ({
        type: 'CreatePlan' as const,
        data: { planId, provider: 'linode' as const, ...command.input },
        metadata,
      }),
    });
    const plan = await loadPlan(this.eventStore, planId);
    if (!plan) throw new Error(`plan ${planId} missing right after its creation`);
    return { plan, position: result.position };
  }
}
