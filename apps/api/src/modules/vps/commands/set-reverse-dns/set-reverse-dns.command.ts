import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { StartedOperation } from '../../shared/vps-operation-starter';

export class SetReverseDnsCommand extends Command<StartedOperation> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly ipv4: string,
    readonly hostname: string | null,
    readonly context: CommandContext,
  ) {
    super();
  }
}
