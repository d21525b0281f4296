import { Command } from '@nestjs/cqrs';
import type { ReconciliationWindow } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface RunReconciliationResult {
  /** The run requested (its replay runs in the background). */
  run: ReconciliationWindow;
  position: Position | null;
  /** The Idempotency-Key was seen before: this is the stored run, nothing more was recorded. */
  replayed: boolean;
}

/** Request a billing replay over [from, to) (already validated, canonical), run as a background job. */
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
