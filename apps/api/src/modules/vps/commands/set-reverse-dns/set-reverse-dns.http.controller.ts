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
import { SetReverseDnsCommand } from './set-reverse-dns.command';
import { SetReverseDnsRequestDto } from './set-reverse-dns.request.dto';

@ApiTags('vps')
@Controller('organizations/:orgId/vps/:vpsId/reverse-dns')
export class SetReverseDnsHttpController {
  constructor(private readonly commandBus: CommandBus) {}

  @Put()
  @ApiOperation({ summary: "Set the reverse DNS of the server's IPv4 address" })
  @HttpCode(202)
  @RequirePermission('vps_manage')
  @ApiParam({ name: 'vpsId', format: 'uuid' })
  @ApiAcceptedResponse({
    type: VpsOperationAcceptedDto,
    description: 'Recorded and its workflow started; the server shows it once the provider took it',
  })
  @ApiErrorResponses({
    400: "invalid_hostname, invalid_ipv4, not_server_address (not this server's address)",
    409: 'vps_not_active, vps_suspended, or operation_in_progress (details name it)',
    503: 'Recorded, but the workflow could not be started; send the same request again',
  })
  async set(
    @Param('vpsId') vpsId: string,
    @Body() body: SetReverseDnsRequestDto,
    @Membership() membership: OrganizationMembership,
    @Ctx() context: CommandContext,
  ): Promise<VpsOperationAcceptedDto> {
    const started = await this.commandBus.execute(
      new SetReverseDnsCommand(membership.organizationId, vpsId, body.ipv4, body.hostname, context),
    );
    return {
      operation: vpsOperationView(started.operation),
      workflowId: started.operation.workflowId,
      position: positionText(started.position),
    };
  }
}
