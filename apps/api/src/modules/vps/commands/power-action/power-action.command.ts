import { Command } from '@nestjs/cqrs';
import type { VpsPowerAction } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface PowerActionResult {
  vpsId: string;
  action: VpsPowerAction;
  position: Position | null;
}

export class PowerActionCommand extends Command<PowerActionResult> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly action: VpsPowerAction,
    readonly context: CommandContext,
  ) {
    super();
  }
}
