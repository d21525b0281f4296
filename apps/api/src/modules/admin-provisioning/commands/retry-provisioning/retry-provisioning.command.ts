import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface OperatorActionResult {
  vpsId: string;
  workflowId: string;
  alreadyRequested: boolean;
  eventId: string | null;
  position: Position | null;
}

/** Staff: repeat the wait of a stuck provisioning (the workflow's retryProvisioning signal). */
export class RetryProvisioningCommand extends Command<OperatorActionResult> {
  constructor(
    readonly vpsId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
