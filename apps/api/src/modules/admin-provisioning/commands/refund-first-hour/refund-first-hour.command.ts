import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface RefundFirstHourResult {
  vpsId: string;
  chargeId: string;
  amount: bigint;
  /** Given back by this call (0 when an earlier call did it). */
  refundedNow: bigint;
  eventId: string;
  position: Position | null;
  /** An earlier call recorded this refund: its outcome, nothing refunded twice. */
  replayed: boolean;
}

/** Staff refund the recorded first-hour charge of a failed server that its compensation did not refund. */
export class RefundFirstHourCommand extends Command<RefundFirstHourResult> {
  constructor(
    readonly vpsId: string,
    readonly reason: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
