import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

/** Turns 2FA on with a code from the pending secret; answers the recovery codes (shown this once). */
export class EnableTwoFactorCommand extends Command<{ recoveryCodes: string[]; position: Position | null }> {
  constructor(
    readonly userId: string,
    readonly code: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
