import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { OperatorActionResult } from '../retry-provisioning/retry-provisioning.command';

/** Staff: undo a provisioning (the workflow's compensations: delete any instance, refund the first hour). */
export class AbortProvisioningCommand extends Command<OperatorActionResult> {
  constructor(
    readonly vpsId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
