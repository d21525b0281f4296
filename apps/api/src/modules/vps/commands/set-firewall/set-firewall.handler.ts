import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { VpsOperationStarter, type StartedOperation } from '../../shared/vps-operation-starter';
import { SetFirewallCommand } from './set-firewall.command';

/**
 * The server's own inbound rules: the decider checks them (ports, networks, the provider's limits) and the server;
 * serverFirewallWorkflow creates the server's Cloud Firewall (found again by its label) and sets them.
 */
@CommandHandler(SetFirewallCommand)
export class SetFirewallHandler implements ICommandHandler<SetFirewallCommand, StartedOperation> {
  constructor(private readonly operations: VpsOperationStarter) {}

  execute(command: SetFirewallCommand): Promise<StartedOperation> {
    const { defaultInbound, inbound } = command.rules;
    return this.operations.start(
      command.organizationId,
      command.vpsId,
      {
        type: 'RequestFirewallRules',
        data: {
          rules: {
            defaultInbound,
            inbound: inbound.map(({ protocol, ports, addresses }) => ({ protocol, ports, addresses })),
          },
        },
      },
      command.context,
    );
  }
}
