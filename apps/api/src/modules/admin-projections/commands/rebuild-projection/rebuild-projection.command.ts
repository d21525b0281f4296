import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export interface RebuildProjectionResult {
  rebuildId: string;
}

/** Platform admin: rebuild one projection into a shadow table and swap it in, in the background. */
export class RebuildProjectionCommand extends Command<RebuildProjectionResult> {
  constructor(
    readonly projection: string,
    readonly reason: string | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}
