import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { PlanCommandResult, PlanInput } from '../create-plan/create-plan.command';

/** Any non-empty subset of a plan's fields; each kind of change is its own event (a price change included). */
export class UpdatePlanCommand extends Command<PlanCommandResult> {
  constructor(
    readonly planId: string,
    readonly changes: Partial<PlanInput>,
    readonly context: CommandContext,
  ) {
    super();
  }
}
