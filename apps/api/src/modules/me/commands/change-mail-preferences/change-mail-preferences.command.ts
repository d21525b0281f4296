import { Command } from '@nestjs/cqrs';
import type { OptionalMail } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export class ChangeMailPreferencesCommand extends Command<{
  optedOut: OptionalMail[];
  position: Position | null;
}> {
  constructor(
    readonly userId: string,
    readonly optedOut: string[],
    readonly context: CommandContext,
  ) {
    super();
  }
}
