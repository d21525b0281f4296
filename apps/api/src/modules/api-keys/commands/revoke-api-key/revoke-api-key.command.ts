import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

/** The key's owner revokes it; from the next request on it authenticates nowhere. */
export class RevokeApiKeyCommand extends Command<{ position: Position | null }> {
  constructor(
    readonly keyId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
