import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface SetTransferPriceResult {
  pricePerGb: string;
  position: Position | null;
}

/** Staff set the price per GB of transfer past an organization's pool (from the next month close on). */
export class SetTransferPriceCommand extends Command<SetTransferPriceResult> {
  constructor(
    readonly pricePerGb: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
