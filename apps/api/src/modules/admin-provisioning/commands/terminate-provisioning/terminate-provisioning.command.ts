import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface TerminateProvisioningResult {
  vpsId: string;
  workflowId: string;
  /** A running workflow was terminated by this call (false: none was running, or an earlier call did it). */
  workflowTerminated: boolean;
  refunded: boolean;
  /** First hour given back by this call (0 when it was never charged or already refunded). */
  refundedNow: bigint;
  instancesLeft: string[];
  eventId: string;
  position: Position | null;
  /** An earlier call already recorded the termination: this is its outcome, nothing was done again. */
  replayed: boolean;
}

/** Staff, last resort: terminate the provisioning workflow, refund the first hour, report what is left. */
export class TerminateProvisioningCommand extends Command<TerminateProvisioningResult> {
  constructor(
    readonly vpsId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
