import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';

export class DeleteSshKeyCommand extends Command<{ keyId: string; position: Position | null }> {
  constructor(
    readonly organizationId: string,
    readonly keyId: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
