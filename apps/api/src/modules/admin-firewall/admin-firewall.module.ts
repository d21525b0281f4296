import { Module } from '@nestjs/common';
import { SetFirewallPolicyHandler } from './commands/set-firewall-policy/set-firewall-policy.handler';
import { SetFirewallPolicyHttpController } from './commands/set-firewall-policy/set-firewall-policy.http.controller';
import { GetFirewallPolicyHandler } from './queries/get-firewall-policy/get-firewall-policy.handler';
import { GetFirewallPolicyHttpController } from './queries/get-firewall-policy/get-firewall-policy.http.controller';

/** Staff: the default inbound firewall policy of servers without rules of their own. */
@Module({
  controllers: [GetFirewallPolicyHttpController, SetFirewallPolicyHttpController],
  providers: [GetFirewallPolicyHandler, SetFirewallPolicyHandler],
})
export class AdminFirewallModule {}
