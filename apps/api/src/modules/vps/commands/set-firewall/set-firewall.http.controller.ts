import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { OrganizationMembership } from '../../../../shared/auth/organization-access.service';
import { Membership, RequirePermission } from '../../../../shared/auth/require-permission.decorator';
import { positionText } from '../../../../shared/http/command-response.dto';
import { ApiErrorResponses } from '../../../../shared/http/openapi-conventions';
import { Ctx, CommandContext } from '../../../../shared/request-context/command-context';
import { VpsOperationAcceptedDto } from '../../shared/vps.dto';
import { vpsOperationView } from '../../shared/vps-view';
import { SetFirewallCommand } from './set-firewall.command';
import { SetFirewallRequestDto } from './set-firewall.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/firewall')
export class SetFirewallHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @ApiOperation({ summary: "Set the server's inbound firewall rules (replacing the ones in effect)" })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({
    type: VpsOperationAcceptedDto,
    description: 'Recorded and its workflow started; GET /firewall shows the rules once in effect',
  })
  @ApiErrorResponses({
    400: 'invalid_firewall_rules (details.field names the rule and field)',
    409: 'vps_not_active, vps_suspended, or operation_in_progress (details name it)',
    503: 'Recorded, but the workflow could not be started; send the same request again',
  })
  async set(
    @Param('vpsId') vpsId: string,
    @Body() body: SetFirewallRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    const started = await this.commandBus.execute(
      new SetFirewallCommand(membership.organizationId, vpsId, body, context),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
