import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { SetReverseDnsCommand } from './set-reverse-dns.command';

/**
 * Reverse DNS of the server's IPv4 address: the decider checks the host name and that the address is the
 * server's; reverseDnsWorkflow sets it at the provider, which refuses a name whose forward DNS does not point at
 * the address (Stratus checks no DNS itself: the provider's refusal is the operation's failure, with its reason).
 */
@CommandHandler(SetReverseDnsCommand)
export class SetReverseDnsHandler implements ICommandHandler<SetReverseDnsCommand, StartedOperation> {
  constructor(private readonly operations: VpsOperationStarter) {}

  execute(command: SetReverseDnsCommand): Promise<StartedOperation> {
    return this.operations.start(
      command.organizationId,
      command.vpsId,
      { type: 'RequestReverseDns', data: { ipv4: command.ipv4, hostname: command.hostname } },
      command.context,
    );
  }
}
