import { Command } from '@nestjs/cqrs';
import type { BillingReconciliationCompleted } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface RunReconciliationResult {
  run: BillingReconciliationCompleted['data'];
  position: Position | null;
  /** The Idempotency-Key was seen before: this is the stored run, nothing was replayed or recorded. */
  replayed: boolean;
}

/** Replay billing over [from, to) (already validated, canonical) and store the run. */
export class RunReconciliationCommand extends Command<RunReconciliationResult> {
  constructor(
    readonly from: string,
    readonly to: string,
    readonly organizationId: string | null,
    readonly idempotencyKey: string | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}
