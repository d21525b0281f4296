import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { PlanRow } from '@stratus/projections';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface PlanInput {
  name: string;
  providerPlanId: string;
  regions: string[];
  /** Micro-dollars, already parsed. */
  baseMonthlyPrice: bigint;
  markup: bigint;
  backupUpcharge: bigint;
  active: boolean;
}

export interface PlanCommandResult {
  plan: PlanRow;
  position: Position | null;
}

export class CreatePlanCommand extends Command<PlanCommandResult> {
  constructor(
    readonly input: PlanInput,
    readonly context: CommandContext,
  ) {
    super();
  }
}
