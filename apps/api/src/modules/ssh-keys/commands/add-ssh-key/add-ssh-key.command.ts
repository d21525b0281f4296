import { Command } from '@nestjs/cqrs';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { SshKeyDto } from '../../shared/ssh-key.dto';

export interface AddSshKeyResult {
  key: SshKeyDto;
  position: Position | null;
}

export class AddSshKeyCommand extends Command<AddSshKeyResult> {
  constructor(
    readonly organizationId: string,
    readonly name: string,
    readonly publicKey: string,
    readonly context: CommandContext,
  ) {
    super();
  }
}
