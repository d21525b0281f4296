import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

/** Turns 2FA off: the password and a current code are both required. */
export class DisableTwoFactorCommand extends Command<{ position: Position | null }> {
  constructor(
    readonly userId: string,
    readonly password: string,
    readonly code: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
