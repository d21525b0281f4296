import { Body, Controller, HttpCode, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RequirePlatformAdmin } from '../../../../shared/auth/platform-admin.guard';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { FirewallPolicyUpdatedDto } from '../../admin-firewall.dto';
import { SetFirewallPolicyCommand } from './set-firewall-policy.command';
import { SetFirewallPolicyRequestDto } from './set-firewall-policy.request.dto';

@ApiTags('admin')
@Controller('admin/firewall-policy')
export class SetFirewallPolicyHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Replace the default inbound firewall policy of servers without rules of their own',
  })
  @RequirePlatformAdmin()
  @ApiOkResponse({ type: FirewallPolicyUpdatedDto })
  @ApiErrorResponses({
    400: 'invalid_firewall_rules (details.field names the rule and field)',
    502: "provider_error: recorded, but the provider refused the platform's firewall",
    503: 'provider_unavailable: recorded, but not yet at the provider; send the same request again',
  })
  async set(
    @Body() body: SetFirewallPolicyRequestDto,
    @Ctx() context: CommandContext,
  ): Promise<FirewallPolicyUpdatedDto> {
    const result = await this.commandBus.execute(new SetFirewallPolicyCommand(body, context));
    return { ...result.rules, position: positionText(result.position) };
  }
}
