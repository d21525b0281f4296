import { Command } from '@nestjs/cqrs';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { StartedOperation } from '../../shared/vps-operation-starter';
import type { SetFirewallRequestDto } from './set-firewall.request.dto';

export class SetFirewallCommand extends Command<StartedOperation> {
  constructor(
    readonly organizationId: string,
    readonly vpsId: string,
    readonly rules: SetFirewallRequestDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
