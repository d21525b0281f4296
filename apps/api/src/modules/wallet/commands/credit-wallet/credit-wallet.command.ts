import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface CreditWalletResult {
  transactionId: string;
  balance: string;
  position: Position | null;
  /** The Idempotency-Key was seen before: this is the original credit, nothing new was recorded. */
  replayed: boolean;
}

/** Staff credit (platform admin). `amount` is already parsed: bigint micro-dollars > 0. */
export class CreditWalletCommand extends Command<CreditWalletResult> {
  constructor(
    readonly organizationId: string,
    readonly amount: bigint,
    readonly reason: string,
    readonly idempotencyKey: string | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}
