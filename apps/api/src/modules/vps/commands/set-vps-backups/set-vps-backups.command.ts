import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { StartedOperation } from '../../shared/vps-operation-starter';

export class SetVpsBackupsCommand extends Command<StartedOperation> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly enabled: boolean,
    readonly context: CommandContext,
  ) {
    super();
  }
}
