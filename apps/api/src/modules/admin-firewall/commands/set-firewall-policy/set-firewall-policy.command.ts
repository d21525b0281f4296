import { Command } from '@nestjs/cqrs';
import type { FirewallRules } from '@stratus/domain';
import type { Position } from '@stratus/eventstore';
import type { CommandContext } from '../../../../shared/request-context/command-context';
import type { SetFirewallPolicyRequestDto } from './set-firewall-policy.request.dto';

export interface SetFirewallPolicyResult {
  rules: FirewallRules;
  position: Position | null;
}

/** Staff replace the platform's default inbound firewall policy (the domain checks the rules). */
export class SetFirewallPolicyCommand extends Command<SetFirewallPolicyResult> {
  constructor(
    readonly rules: SetFirewallPolicyRequestDto,
    readonly context: CommandContext,
  ) {
    super();
  }
}
