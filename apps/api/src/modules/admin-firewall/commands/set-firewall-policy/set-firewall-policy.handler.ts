import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { firewallPolicyDecider, streams, type CloudProvider } from '@stratus/domain';
import { CommandExecutor } from '@stratus/eventstore';
import { syncPlatformFirewall } from '@stratus/infra';
import { CLOUD_PROVIDER } from '../../../../shared/provider/cloud-provider.module';
import { mapProviderError } from '../../../vps/shared/provider-errors';
import { SetFirewallPolicyCommand, type SetFirewallPolicyResult } from './set-firewall-policy.command';

/**
 * The policy is recorded (FirewallPolicySet, the staff member as actor), then the platform's default firewall at the
 * provider is given its rules, so every server behind it follows at once. When the provider fails, the policy is
 * recorded and the answer is a 502/503: the same request again records nothing and syncs again (and the next
 * server's creation syncs it too).
 */
@CommandHandler(SetFirewallPolicyCommand)
export class SetFirewallPolicyHandler implements ICommandHandler<
  SetFirewallPolicyCommand,
  SetFirewallPolicyResult
> {
  constructor(
    private readonly executor: CommandExecutor,
    @Inject(CLOUD_PROVIDER) private readonly provider: CloudProvider,
  ) {}

  async execute(command: SetFirewallPolicyCommand): Promise<SetFirewallPolicyResult> {
    const { defaultInbound, inbound } = command.rules;
    const result = await this.executor.execute({
      streamId: streams.firewallPolicy(),
      decider: firewallPolicyDecider,
      context: command.context,
      command: (_state, metadata) => ({
        type: 'SetFirewallPolicy' as const,
        data: {
          rules: {
            defaultInbound,
            inbound: inbound.map(({ protocol, ports, addresses }) => ({ protocol, ports, addresses })),
          },
        },
        metadata,
      }),
    });
    const rules = result.state.rules!;
    try {
      await syncPlatformFirewall(this.provider, rules);
    } catch (error) {
      throw mapProviderError(error, "apply the default firewall policy to the platform's firewall for");
    }
    return { rules, position: result.position };
  }
}
